/**
 * Bundle size: minified + gzipped ESM of our React entry and core entry,
 * beside @melloware/react-logviewer and better-sse, all built by esbuild
 * with the same flags (React and Node built-ins left external).
 *
 * Usage: deno run -A bench/bundle_size.ts
 */
import { node, requireTools } from "./support/node_tools.ts";
import { fmt, ratio, type Section } from "./support/table.ts";

interface Size {
  name: string;
  minified: number;
  gzipped: number;
}

/** The React entry's goal, gzipped bytes. */
export const REACT_GOAL = 3 * 1024;

/** Builds every entry and returns the table. */
export async function run(): Promise<Section> {
  await requireTools();
  const sizes = await node<Size[]>("bundle_sizes.mjs", [], 120_000);
  const by = (prefix: string) => sizes.find((s) => s.name.startsWith(prefix))!;
  const react = by("streamator React");
  const core = by("streamator core");
  const viewer = by("@melloware");
  const sse = by("better-sse");
  const kb = (n: number) => fmt(n / 1024, 2);
  const row = (s: Size, peer?: Size) => [
    s.name,
    kb(s.minified),
    kb(s.gzipped),
    peer ? `${ratio(s.gzipped, peer.gzipped)} of ${peer.name}` : "",
  ];
  const notes = [
    `The React entry's goal is under 3 KB gzipped: ${
      react.gzipped < REACT_GOAL ? "met" : `not met (${kb(react.gzipped)} KB)`
    }.`,
  ];
  if (sse.gzipped < core.gzipped) {
    notes.push(
      "better-sse is smaller than our core entry: it is an SSE session/channel library only, " +
        "while our core entry also holds the job logger, the store with its limits, the " +
        "snapshot/polling route, CORS and access control, and the store registry.",
    );
  }
  return {
    title: "Bundle size (esbuild, minified + gzipped ESM)",
    about: "esbuild 0.28.2 with `bundle, minify, format: esm, target: es2022`; react, react-dom " +
      "and Node built-ins external; gzip level 9. The whole entry (`export *`), no tree-shaking " +
      "for one import.",
    header: ["entry", "minified KB", "gzipped KB", "ours ÷ peer (gzipped)"],
    rows: [row(react, viewer), row(viewer), row(core, sse), row(sse)],
    headline: [
      `bundle: React entry ${kb(react.gzipped)} KB gzipped (${
        ratio(react.gzipped, viewer.gzipped)
      } of @melloware/react-logviewer), core ${kb(core.gzipped)} KB (${
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
