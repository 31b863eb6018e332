/**
 * How a JSR consumer's React meets ours. `deno.json` imports `react` as
 * `npm:react@x`, any version: Deno's specifiers take no `>=17` or `||`
 * ranges (denoland/deno#26587) and JSR refuses `*` (it accepts `x`), so this
 * is the one range that every supported React satisfies. A consumer pinned
 * to React 18 or 19 resolves one React, ours included. React 17 publishes no
 * `exports` map, so Deno cannot resolve the `react/jsx-runtime` that the JSR
 * sources compile to: React 17 apps use the npm package `streamator-react`,
 * which is built with `React.createElement`.
 *
 * The consumer is laid out as Deno lays out a JSR dependency: a workspace
 * whose `app` member pins React and imports `@streamator/core/react` by name,
 * and whose `pkg` member is this package's published files with its
 * `deno.json`. It renders `LogPanel` and `useLogStream` (two copies of React
 * would break the hook) and `deno info` lists the npm packages of the graph.
 */
import assert from "node:assert/strict";
import { ROOT } from "../support/tools.ts";
import { runDeno } from "../support/run_command.ts";

/** One React of each supported major. */
const PINNED = ["18.3.1", "19.0.0"];

/** `deno <args>` in `cwd`; its stdout, once it succeeded. */
async function deno(args: string[], cwd: string): Promise<string> {
  const out = await runDeno(args, { cwd, timeoutMs: 180_000 });
  assert.ok(out.success, `deno ${args.join(" ")}:\n${out.text}`);
  return out.stdout;
}

/** Copies the files `deno publish` would publish (sources, no tests) into `dir`. */
async function copyPackage(dir: string): Promise<void> {
  await Deno.copyFile(`${ROOT}/deno.json`, `${dir}/deno.json`);
  await Deno.copyFile(`${ROOT}/mod.ts`, `${dir}/mod.ts`);
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  // Each published folder, as `publish.include` names them ("server/**/*.ts", "react/*.css", …).
  const folders = new Set(
    (config.publish.include as string[]).filter((path) => path.includes("/")).map((path) =>
      path.split("/")[0]
    ),
  );
  for (const folder of folders) await copySources(folder, dir);
}

async function copySources(folder: string, dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/${folder}`, { recursive: true });
  for await (const entry of Deno.readDir(`${ROOT}/${folder}`)) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) await copySources(path, dir);
    else if (entry.isFile && !/_test\.tsx?$/.test(entry.name)) {
      await Deno.copyFile(`${ROOT}/${path}`, `${dir}/${path}`);
    }
  }
}

for (const pinned of PINNED) {
  Deno.test(`JSR: a consumer pinned to React ${pinned} resolves one React`, () => consumer(pinned));
}

async function consumer(PINNED: string): Promise<void> {
  const imports = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).imports;
  assert.equal(imports.react, "npm:react@x", "react is imported as a range every major satisfies");
  const tmp = await Deno.makeTempDir({ prefix: "streamator-jsr-" });
  try {
    await Deno.mkdir(`${tmp}/app`);
    await Deno.mkdir(`${tmp}/pkg`);
    await Deno.writeTextFile(`${tmp}/deno.json`, JSON.stringify({ workspace: ["./app", "./pkg"] }));
    await copyPackage(`${tmp}/pkg`);
    await Deno.writeTextFile(
      `${tmp}/app/deno.json`,
      JSON.stringify({
        imports: {
          react: `npm:react@${PINNED}`,
          // React 17 has no exports map: its entry is the file itself.
          "react-dom/server": `npm:react-dom@${PINNED}/server${
            PINNED.startsWith("17.") ? ".js" : ""
          }`,
        },
      }),
    );
    await Deno.writeTextFile(
      `${tmp}/app/main.ts`,
      `import { createElement, version } from "react";
import { renderToString } from "react-dom/server";
import { LogPanel, useLogStream } from "@streamator/core/react";

function App() {
  const { logs } = useLogStream(null);
  return createElement(LogPanel, {
    logs: [...logs, { text: "hello", t: "0.1s", level: "info" }],
    active: true,
  });
}
console.log(JSON.stringify({ version, html: renderToString(createElement(App)) }));
Deno.exit(0); // react-dom/server leaves a MessageChannel open
`,
    );
    const out = JSON.parse((await deno(["run", "--allow-env", "main.ts"], `${tmp}/app`)).trim());
    assert.equal(out.version, PINNED);
    assert.match(out.html, /hello/);
    const info = JSON.parse(await deno(["info", "--json", "main.ts"], `${tmp}/app`));
    const reacts = Object.keys(info.npmPackages).filter((id) => /^react@/.test(id));
    assert.deepEqual(reacts, [`react@${PINNED}`]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
