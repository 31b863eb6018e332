// Bundles page.tsx for the browser benchmark: production React with the
// profiling build of react-dom (so <Profiler> counts commits), minified; with
// "production", react-dom's production build (what an app ships; <Profiler>
// counts nothing there).
// Usage: node build.mjs <outfile> [profiling|production]
import { build } from "esbuild";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const here = new URL(".", import.meta.url).pathname;
await build({
  entryPoints: [`${here}page.tsx`],
  outfile: process.argv[2],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"' },
  nodePaths: [`${here}node_modules`],
  alias: process.argv[3] === "production"
    ? {}
    : { "react-dom/client": require.resolve("react-dom/profiling") },
  logLevel: "warning",
});
