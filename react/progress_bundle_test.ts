/**
 * A panel that shows no progress bundles none of it: `LogPanel` alone,
 * tree-shaken and minified by esbuild (React external, react/ side-effect
 * free as the npm package declares), has no progress bar code, and
 * `LogPanel` with `ProgressBar` has it; the same holds for `createLineView`
 * (`redrawLines`). Sizes are gzipped.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { ROOT, toolBin, TOOLS } from "../tests/support/tools.ts";

/** `export { names } from react/mod.ts`, bundled and minified: the code and its gzipped size. */
async function build(names: string[]): Promise<{ code: string; gzipped: number }> {
  const out = await new Deno.Command(toolBin("esbuild"), {
    args: [
      "--bundle",
      "--minify",
      "--format=esm",
      "--target=es2022",
      "--platform=browser",
      "--jsx=automatic",
      "--external:react",
      "--external:react-dom",
      "--external:react/jsx-runtime",
      "--log-level=warning",
      `--resolve-extensions=.ts,.tsx,.js`,
    ],
    cwd: `${ROOT}/react`,
    env: { NODE_PATH: `${TOOLS}/node_modules` },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`export { ${names.join(", ")} } from "./mod.ts";`));
  await writer.close();
  const result = await out.output();
  assert.ok(result.success, new TextDecoder().decode(result.stderr));
  const code = new TextDecoder().decode(result.stdout);
  return { code, gzipped: gzipSync(result.stdout, { level: 9 }).length };
}

Deno.test("LogPanel without ProgressBar bundles no progress bar; with it, the bar is there", async () => {
  const panel = await build(["LogPanel"]);
  const withBar = await build(["LogPanel", "ProgressBar"]);
  for (const text of ["progressbar", "streamator-progress", "Job progress"]) {
    assert.ok(!panel.code.includes(text), `LogPanel alone has "${text}"`);
    assert.ok(withBar.code.includes(text), `LogPanel + ProgressBar lacks "${text}"`);
  }
  assert.ok(withBar.gzipped > panel.gzipped);
  console.log(`LogPanel ${panel.gzipped} B gzipped; with ProgressBar ${withBar.gzipped} B`);
});

Deno.test("LogPanel without createLineView bundles no line view; with it, the view is there", async () => {
  const panel = await build(["LogPanel"]);
  const withView = await build(["LogPanel", "createLineView"]);
  // The line view's test for a carriage return that redraws its line.
  const bareReturn = String.raw`/\r(?!\n)/`;
  assert.ok(!panel.code.includes(bareReturn), "LogPanel alone has the line view");
  assert.ok(withView.code.includes(bareReturn), "LogPanel + createLineView lacks the line view");
  assert.ok(withView.gzipped > panel.gzipped);
});
