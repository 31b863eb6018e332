/**
 * Builds ES modules the way an app's bundler builds an import of ours:
 * esbuild in Node (from bench/browser/node_modules), bundled, minified, ESM,
 * React and Node built-ins external, files of this repository side-effect
 * free (as the npm package's `"sideEffects": false` tells bundlers). Used by
 * the bundle-size bench and by the size budgets of `deno task check`.
 */
import { gzipSync } from "node:zlib";

/** One module to build: its source, resolved from bench/browser. */
export interface BuildJob {
  name: string;
  code: string;
}

/** The size of one build, and the repository files in it. */
export interface Built {
  name: string;
  minified: number;
  /** gzip level 9 of the minified output. */
  gzipped: number;
  /** Repository files (paths from its root) with bytes left in the output. */
  files: string[];
}

const BROWSER = new URL("../browser/", import.meta.url);
/** The repository root, as a path ending in `/`. */
export const ROOT = new URL("../../", import.meta.url).pathname;

const BUILD_SCRIPT = `
import { build } from "esbuild";
const [root, json] = process.argv.slice(1);
const out = [];
for (const { name, code } of JSON.parse(json)) {
  const result = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true, minify: true, format: "esm", target: "es2022", platform: "browser",
    mainFields: ["module", "main"], jsx: "automatic",
    external: ["react", "react-dom", "react/jsx-runtime", "react-dom/client"],
    loader: { ".css": "empty" },
    define: { "process.env.NODE_ENV": '"production"' },
    write: false, logLevel: "error", metafile: true, outfile: "out.js",
    plugins: [{
      name: "side-effect-free",
      setup(b) {
        b.onResolve({ filter: /\\.tsx?$/ }, async (args) => {
          if (args.pluginData) return undefined;
          const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: true });
          return r.path.startsWith(root) && !r.path.includes("/node_modules/") ? { ...r, sideEffects: false } : r;
        });
      },
    }],
  });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const files = Object.entries(inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f);
  out.push({ name, files, bytes: Buffer.from(result.outputFiles[0].contents).toString("base64") });
}
console.log(JSON.stringify(out));
`;

/** Builds each job in one Node process; throws when esbuild fails. */
export async function treeShake(jobs: readonly BuildJob[]): Promise<Built[]> {
  const child = new Deno.Command("node", {
    args: ["--input-type=module", "-e", BUILD_SCRIPT, ROOT, JSON.stringify(jobs)],
    cwd: BROWSER.pathname,
    stdout: "piped",
    stderr: "inherit",
  });
  const output = await child.output();
  if (!output.success) throw new Error(`bundling the tree-shaken imports failed (${output.code})`);
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  const built = JSON.parse(lines[lines.length - 1]) as {
    name: string;
    files: string[];
    bytes: string;
  }[];
  return built.map(({ name, files, bytes }) => {
    const raw = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
    return {
      name,
      minified: raw.length,
      gzipped: gzipSync(raw, { level: 9 }).length,
      // esbuild names inputs relative to the working directory (bench/browser).
      files: files.map((f) => new URL(f, BROWSER).pathname.replace(ROOT, "")).sort(),
    };
  });
}

/** `export { a, b } from "<file>";` for a file given from the repository root. */
export function reexport(names: readonly string[], file: string): string {
  return `export { ${names.join(", ")} } from ${JSON.stringify(ROOT + file)};`;
}
