/**
 * Bundle size: minified + gzipped ESM, all built by esbuild with the same
 * flags (React and Node built-ins left external), gzip level 9.
 *
 * - What an app pays for one import: `LogPanel` alone, `useLogStream` alone,
 *   both, and `LogViewer` (search, level filter, ANSI, copy/download), each
 *   tree-shaken from react/mod.ts as a bundler does with the npm package
 *   (whose package.json declares `"sideEffects": false` for its JS), beside
 *   `@melloware/react-logviewer` (a viewer with search, ANSI and follow).
 * - What each part of ours costs elsewhere: the best-known libraries for SSE
 *   reading (`@microsoft/fetch-event-source`, `eventsource-parser`, the
 *   `eventsource` polyfill) and for windowing (`@tanstack/react-virtual`,
 *   `react-window`), each imported as its README shows and built the same way.
 * - Whole entries (`export *`): our React and core entries beside
 *   @melloware/react-logviewer and better-sse.
 *
 * Usage: deno run -A bench/bundle_size.ts
 */
import { BUDGETS } from "../scripts/size_budget.ts";
import { node, requireTools } from "./support/node_tools.ts";
import { reexport, treeShake } from "./support/tree_shake.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

interface Size {
  name: string;
  minified: number;
  gzipped: number;
}

/** The budget `deno task check` holds for an import (scripts/size_budget.ts), gzipped bytes. */
function budgetOf(name: string): number {
  return BUDGETS.find((b) => b.name === name)!.bytes;
}

const SSE = "SSE reading";
const WINDOWING = "windowing";
const VIEWER = "log viewer";

/** Tree-shaken imports from react/mod.ts, the part(s) they do, and their budgets (gzipped bytes). */
const IMPORTS: { name: string; names: string[]; part: string; budget?: number }[] = [
  { name: "LogPanel alone", names: ["LogPanel"], part: WINDOWING, budget: budgetOf("LogPanel") },
  { name: "LogPanel + renderAnsi", names: ["LogPanel", "renderAnsi"], part: WINDOWING },
  { name: "useLogStream alone", names: ["useLogStream"], part: SSE },
  {
    name: "LogPanel + useLogStream",
    names: ["LogPanel", "useLogStream"],
    part: `${SSE} + ${WINDOWING}`,
    budget: budgetOf("useLogStream + LogPanel"),
  },
  {
    name: "LogViewer (search, filter, ANSI, copy/download)",
    names: ["LogViewer"],
    part: VIEWER,
    budget: budgetOf("LogViewer"),
  },
  {
    name: "LogViewer + useLogStream",
    names: ["LogViewer", "useLogStream"],
    part: `${SSE} + ${VIEWER}`,
  },
];

/**
 * The best-known library for one part of ours, imported as its README shows,
 * and the import of ours that does that part.
 */
const PEERS: { name: string; part: string; code: string; ours: string }[] = [
  {
    name: "@microsoft/fetch-event-source (fetchEventSource)",
    part: SSE,
    code: `export { fetchEventSource } from "@microsoft/fetch-event-source";`,
    ours: "useLogStream alone",
  },
  {
    name: "eventsource-parser (createParser)",
    part: SSE,
    code: `export { createParser } from "eventsource-parser";`,
    ours: "useLogStream alone",
  },
  {
    name: "eventsource (EventSource polyfill)",
    part: SSE,
    code: `export { EventSource } from "eventsource";`,
    ours: "useLogStream alone",
  },
  {
    name: "@tanstack/react-virtual (useVirtualizer)",
    part: WINDOWING,
    code: `export { useVirtualizer } from "@tanstack/react-virtual";`,
    ours: "LogPanel alone",
  },
  {
    name: "react-window (List + useDynamicRowHeight)",
    part: WINDOWING,
    code: `export { List, useDynamicRowHeight } from "react-window";`,
    ours: "LogPanel alone",
  },
];

const REACT_MOD = "react/mod.ts";

/** Builds the tree-shaken imports and the peers, the same way. */
function treeShaken(): Promise<Size[]> {
  return treeShake([
    ...IMPORTS.map((i) => ({ name: i.name, code: reexport(i.names, REACT_MOD) })),
    { name: "@melloware/react-logviewer", code: `export * from "@melloware/react-logviewer";` },
    ...PEERS.map(({ name, code }) => ({ name, code })),
  ]);
}

/** Builds every entry and returns the table. */
export async function run(): Promise<Section> {
  await requireTools();
  const shaken = await treeShaken();
  const whole = await node<Size[]>("bundle_sizes.mjs", [], 120_000);
  const by = (sizes: Size[], prefix: string) => sizes.find((s) => s.name.startsWith(prefix))!;
  const viewer = by(shaken, "@melloware");
  const react = by(whole, "streamator React");
  const core = by(whole, "streamator core");
  const wholeViewer = by(whole, "@melloware");
  const sse = by(whole, "better-sse");
  const kb = (n: number) => fmt(n / 1024, 2);
  const row = (
    s: Size,
    kind: string,
    part: string,
    budget: number | undefined,
    compared = "",
  ) => [
    s.name,
    kind,
    part,
    kb(s.minified),
    kb(s.gzipped),
    budget === undefined ? "" : `≤ ${kb(budget)}: ${s.gzipped <= budget ? "holds" : "OVER"}`,
    compared,
  ];
  const of = (ours: Size, peer: Size) => `${ratio(ours.gzipped, peer.gzipped)} of ${peer.name}`;
  const rows = [
    ...IMPORTS.map((i) => {
      const s = by(shaken, i.name);
      return row(s, "tree-shaken", i.part, i.budget, of(s, viewer));
    }),
    row(viewer, "tree-shaken (export *)", VIEWER, undefined),
    ...PEERS.map((p) => {
      const peer = by(shaken, p.name);
      return row(
        peer,
        "tree-shaken",
        p.part,
        undefined,
        `${p.ours}: ${ratio(by(shaken, p.ours).gzipped, peer.gzipped)} of it`,
      );
    }),
    row(react, "whole entry", "everything", undefined, of(react, wholeViewer)),
    row(wholeViewer, "whole entry", "everything", undefined),
    row(core, "whole entry", "everything", undefined, of(core, sse)),
    row(sse, "whole entry", "everything", undefined),
  ];
  const notes = IMPORTS.filter((i) => i.budget !== undefined).map((i) => {
    const size = by(shaken, i.name).gzipped;
    return `${i.name}: ${kb(size)} KB gzipped, budget ≤ ${kb(i.budget!)} KB: ${
      size <= i.budget! ? "holds" : "OVER"
    }.`;
  });
  notes.push(
    `The ${SSE} and ${WINDOWING} peers each do one part of ours and less than it: the SSE ` +
      "readers have no React binding, poll mode or per-frame batching (eventsource-parser only " +
      "parses the stream), and the windowing libraries draw no log rows, time column or status " +
      "line and do not follow the bottom on their own.",
  );
  if (sse.gzipped < core.gzipped) {
    notes.push(
      "better-sse is smaller than our core entry: it is an SSE session/channel library only, " +
        "while our core entry also holds the job logger, the store with its limits, the " +
        "snapshot/polling route, CORS and access control, and the store registry.",
    );
  }
  const panel = by(shaken, "LogPanel alone");
  const full = by(shaken, "LogViewer (");
  return {
    title: "Bundle size (esbuild, minified + gzipped ESM)",
    about: "esbuild 0.28.2 with `bundle, minify, format: esm, target: es2022`; react, react-dom " +
      "and Node built-ins external; gzip level 9. Tree-shaken rows import the named exports " +
      "from react/mod.ts with our files side-effect free, as the npm package's `sideEffects: false` " +
      "tells bundlers; whole-entry rows take everything (`export *`).",
    header: [
      "entry",
      "how",
      "part",
      "minified KB",
      "gzipped KB",
      "budget (KB, deno task check)",
      "ours ÷ peer (gzipped)",
    ],
    rows,
    headline: [
      `bundle: LogPanel ${kb(panel.gzipped)} KB, LogViewer ${kb(full.gzipped)} KB gzipped (${
        ratio(full.gzipped, viewer.gzipped)
      } of @melloware/react-logviewer); core ${kb(core.gzipped)} KB (${
        ratio(core.gzipped, sse.gzipped)
      } of better-sse)`,
    ],
    notes,
  };
}

if (import.meta.main) {
  const { markdown } = await import("./support/table.ts");
  console.log(markdown(await run()));
}
