// Minified + gzipped ESM sizes, all built with the same esbuild flags; React
// (and Node built-ins for server modules) are left out as the peers they are.
// Prints one JSON line: [{ name, minified, gzipped }].
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;
const external = ["react", "react-dom", "react/jsx-runtime", "react-dom/client"];

const entries = [
  { name: "streamator core (mod.ts)", file: `${root}mod.ts`, platform: "neutral" },
  { name: "streamator React (react/mod.ts)", file: `${root}react/mod.ts`, platform: "browser" },
  { name: "@melloware/react-logviewer", pkg: "@melloware/react-logviewer", platform: "browser" },
  { name: "better-sse", pkg: "better-sse", platform: "node" },
];

const results = [];
for (const entry of entries) {
  const input = entry.file
    ? { entryPoints: [entry.file] }
    : { stdin: { contents: `export * from "${entry.pkg}";`, resolveDir: here, loader: "js" } };
  const out = await build({
    ...input,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: entry.platform,
    mainFields: ["module", "main"],
    jsx: "automatic",
    external,
    loader: { ".css": "empty" },
    define: { "process.env.NODE_ENV": '"production"' },
    nodePaths: [`${here}node_modules`],
    write: false,
    logLevel: "error",
  });
  const js = out.outputFiles.filter((f) => f.path.endsWith(".js") || f.path === "<stdout>");
  const bytes = Buffer.concat(js.map((f) => Buffer.from(f.contents)));
  results.push({
    name: entry.name,
    minified: bytes.length,
    gzipped: gzipSync(bytes, { level: 9 }).length,
  });
}
console.log(JSON.stringify(results));
