/**
 * The size budgets `deno task check` holds: what an app pays (minified +
 * gzipped, React external) for each import, tree-shaken as a bundler does
 * with the npm packages (their `"sideEffects"` field marks the JS free of
 * side effects). A budget stops growth; it is not a goal to golf towards.
 *
 * Each import also lists the files that must not be in its bundle, so that a
 * part an app did not import (the viewer, the ANSI parser, `useJob`) cannot
 * leak into it unnoticed.
 *
 * Usage: `deno run --allow-read --allow-run --allow-env scripts/size_budget.ts`
 * (needs `bench/browser/node_modules`, installed by scripts/setup.sh). Exits
 * with 1 when an import is over its budget or has a file it must not have.
 *
 * @module
 */
import { type Built, reexport, treeShake } from "../bench/support/tree_shake.ts";

/** One import and its budget. */
export interface Budget {
  /** What the row is called in the output. */
  name: string;
  /** The entry file, from the repository root. */
  entry: string;
  /** The names imported from it. */
  names: string[];
  /** The most gzipped bytes it may take. */
  bytes: number;
  /** Paths (or folders, ending in `/`) from the repository root that must not be in the bundle. */
  without: string[];
}

const KB = 1024;
/** The viewer's files: not in a bundle that does not import `LogViewer`. */
const VIEWER = ["react/log_viewer.tsx", "react/viewer/"];
/** The ANSI parser: only in bundles that use it. */
const ANSI = ["react/ansi.ts"];
/** `useJob`: only in bundles that import it. */
const JOB = ["react/use_job.ts"];
/** The React side: never in the React-free client. */
const REACT = ["react/log_panel.tsx", "react/use_log_stream.ts", "react/status_line.tsx"];
/** The stream reader: not in a bundle of the panel alone. */
const CLIENT = ["client/log_stream.ts", "client/connect_loop.ts", "client/stream_reader.ts"];

/** The entry `createLogStream` is imported from (the React-free client entry). */
export const CLIENT_ENTRY = "client/mod.ts";

/**
 * Every budget, checked in this order. Each is the measured size of what the
 * import does today (the client's failure rules, progress, carriage-return
 * lines, reading in time slices), rounded up to the next 0.1 KB: a budget
 * stops growth. A change that needs more raises it in its own commit, saying
 * what the bytes buy.
 */
export const BUDGETS: Budget[] = [
  {
    name: "LogPanel",
    entry: "react/mod.ts",
    names: ["LogPanel"],
    bytes: 2.5 * KB,
    without: [...VIEWER, ...ANSI, ...JOB, ...CLIENT],
  },
  {
    name: "useLogStream + LogPanel",
    entry: "react/mod.ts",
    names: ["useLogStream", "LogPanel"],
    bytes: 6.5 * KB,
    without: [...VIEWER, ...ANSI, ...JOB],
  },
  {
    name: "LogViewer",
    entry: "react/mod.ts",
    names: ["LogViewer"],
    bytes: 7.1 * KB,
    without: [...JOB, ...CLIENT],
  },
  {
    name: "createLogStream from the client entry",
    entry: CLIENT_ENTRY,
    names: ["createLogStream"],
    bytes: 4.1 * KB,
    without: [...REACT, ...VIEWER, ...ANSI, ...JOB],
  },
];

/** One budget's result. */
export interface BudgetResult {
  budget: Budget;
  built: Built;
  /** Files in the bundle that the budget says must not be. */
  leaks: string[];
}

/** Builds every budget's import and compares. */
export async function checkBudgets(budgets: readonly Budget[] = BUDGETS): Promise<BudgetResult[]> {
  const built = await treeShake(
    budgets.map((b) => ({ name: b.name, code: reexport(b.names, b.entry) })),
  );
  return budgets.map((budget, i) => ({
    budget,
    built: built[i],
    leaks: built[i].files.filter((file) =>
      budget.without.some((w) => w.endsWith("/") ? file.startsWith(w) : file === w)
    ),
  }));
}

/** Whether a result holds: within its budget, and no file it must not have. */
export function holds(result: BudgetResult): boolean {
  return result.built.gzipped <= result.budget.bytes && result.leaks.length === 0;
}

if (import.meta.main) {
  const results = await checkBudgets();
  const kb = (n: number) => (n / KB).toFixed(2);
  for (const result of results) {
    const { budget, built, leaks } = result;
    const verdict = holds(result) ? "ok" : "OVER";
    console.log(
      `${verdict.padEnd(4)} ${budget.name}: ${kb(built.gzipped)} KB of ${kb(budget.bytes)} KB` +
        (leaks.length === 0 ? "" : `; must not contain ${leaks.join(", ")}`),
    );
  }
  if (!results.every(holds)) {
    console.error(
      "A size budget does not hold: find what grew with esbuild's metafile " +
        "(bench/support/tree_shake.ts lists each bundle's files).",
    );
    Deno.exit(1);
  }
}
