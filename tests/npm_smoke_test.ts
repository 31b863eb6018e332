/**
 * The npm packages, proven as dnt proves its output: `scripts/build_npm.ts`
 * builds them into a temp dir, `npm pack` packs them, and a fresh scratch
 * project installs the tarballs with npm under Node 20 and uses them: a Node
 * server streams a job through `@hono/node-server` to a client, tsc checks a
 * consumer's types, and Bun imports the same tarball. `streamator-react`
 * renders `LogPanel` with `react-dom/server`
 * under React 17, 18 and 19.
 *
 * Needs the npm registry (or npm's cache) for `@hono/node-server` and React.
 */
import assert from "node:assert/strict";
import { nodeBin, ROOT, toolBin, TOOLS } from "./support/tools.ts";

const HONO_NODE_SERVER = "@hono/node-server@1.19.19";
const AWS_SDK = ["@aws-sdk/client-dynamodb@3.1169.0", "@aws-sdk/lib-dynamodb@3.1169.0"];
const REACTS = { 17: "17.0.2", 18: "18.3.1", 19: "19.3.1" };

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(command, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `${command} ${args.join(" ")} failed in ${cwd}:\n${stdout}${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return stdout;
}

/** A scratch npm project in `dir` with the given packages installed. */
async function scratch(dir: string, packages: string[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify({ name: "scratch", private: true, type: "module" }),
  );
  await run("npm", ["install", "--no-audit", "--prefer-offline", ...packages], dir);
}

function lastJsonLine(text: string) {
  return JSON.parse(text.trim().split("\n").at(-1)!);
}

Deno.test("npm: the packed packages install and work under Node 20 and Bun", async (t) => {
  const node = await nodeBin();
  const bun = toolBin("bun");
  const tsc = toolBin("tsc");
  const tmp = await Deno.makeTempDir({ prefix: "streamator-npm-" });
  try {
    const build = await run(
      Deno.execPath(),
      ["run", "-A", "scripts/build_npm.ts", "--out", `${tmp}/npm`],
      ROOT,
    );
    console.log(build.trim());
    assert.match(build, /built streamator@\S+ .*publint and attw clean/);
    assert.match(build, /built streamator@.*main entry \d+ B minified, \d+ B gzipped/);

    const pack = async (name: string) => {
      const out = await run(
        "npm",
        ["pack", "--pack-destination", tmp, "--json"],
        `${tmp}/npm/${name}`,
      );
      return `${tmp}/${JSON.parse(out)[0].filename}`;
    };
    const core = await pack("streamator");

    await t.step("a Node server streams a job through @hono/node-server", async () => {
      const dir = `${tmp}/node`;
      await scratch(dir, [core, HONO_NODE_SERVER]);
      await Deno.copyFile(`${TOOLS}/smoke/stream_smoke.mjs`, `${dir}/smoke.mjs`);
      const result = lastJsonLine(await run(node, ["smoke.mjs"], dir));
      assert.match(result.node, /^v2\d\./);
      assert.match(result.contentType, /^text\/event-stream/);
      assert.deepEqual(
        result.events.map((e: Record<string, unknown>) => [e.event, e.message ?? e.rows]),
        [["log", "fetching"], ["log", "parsing"], ["saved", 3], ["log", "Done"], [
          "done",
          undefined,
        ]],
      );
      assert.deepEqual(
        result.snapshot.logs.map((e: Record<string, unknown>) => e.event),
        ["saved", "log", "done"],
      );
      assert.deepEqual([result.snapshot.done, result.snapshot.next], [true, 4]);
    });

    await t.step("tsc accepts a consumer's code against the .d.ts (node16)", async () => {
      const dir = `${tmp}/node`;
      await Deno.copyFile(`${TOOLS}/smoke/types_smoke.ts`, `${dir}/types_smoke.ts`);
      await Deno.writeTextFile(
        `${dir}/tsconfig.json`,
        JSON.stringify({
          compilerOptions: {
            module: "node16",
            moduleResolution: "node16",
            target: "es2022",
            lib: ["es2022", "dom", "esnext.disposable"],
            types: [],
            strict: true,
            noEmit: true,
          },
          files: ["types_smoke.ts"],
        }),
      );
      await run(tsc, ["-p", "."], dir);
    });

    await t.step("Bun imports the same tarball", async () => {
      const dir = `${tmp}/node`;
      const code = 'const m = await import("streamator"); const l = new m.JobLogger(); ' +
        'l.log("bun"); const r = await m.makeSnapshotResponse(l.jobId); ' +
        "console.log(JSON.stringify(await r.json()));";
      const out = lastJsonLine(await run(bun, ["-e", code], dir));
      assert.equal(out.logs[0].message, "bun");
    });

    await t.step("streamator/dynamo imports under Node with the AWS SDK peers", async () => {
      const dir = `${tmp}/node`;
      await run("npm", ["install", "--no-audit", "--prefer-offline", ...AWS_SDK], dir);
      const code = 'const m = await import("streamator/dynamo"); ' +
        "console.log(JSON.stringify({ DynamoStore: typeof m.DynamoStore }));";
      const out = lastJsonLine(await run(node, ["--input-type=module", "-e", code], dir));
      assert.deepEqual(out, { DynamoStore: "function" });
    });

    const react = await pack("streamator-react");
    for (const [major, version] of Object.entries(REACTS)) {
      await t.step(`LogPanel renders with react-dom/server under React ${major}`, async () => {
        const dir = `${tmp}/react${major}`;
        await scratch(dir, [react, `react@${version}`, `react-dom@${version}`]);
        await Deno.copyFile(`${TOOLS}/smoke/react_smoke.mjs`, `${dir}/smoke.mjs`);
        const result = lastJsonLine(await run(node, ["smoke.mjs"], dir));
        assert.equal(result.version, version);
        assert.match(result.html, new RegExp(`hello from React ${version.replaceAll(".", "\\.")}`));
        assert.match(result.html, /waiting…/);
        assert.deepEqual(result.warnings, [], "React warned while rendering");
      });
    }
    await t.step("Bun imports the streamator-react tarball", async () => {
      const dir = `${tmp}/react19`;
      const code = 'const m = await import("streamator-react"); ' +
        "console.log(JSON.stringify(Object.keys(m).sort()));";
      const keys = lastJsonLine(await run(bun, ["-e", code], dir));
      for (const name of ["LogPanel", "makeFormatEvent", "useLogStream"]) {
        assert.ok(keys.includes(name), `${name} is not exported`);
      }
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
