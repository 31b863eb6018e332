/**
 * The npm packages, proven as dnt proves its output: `scripts/build_npm.ts`
 * builds them into a temp dir (with nothing but Deno's npm imports), publint
 * and `@arethetypeswrong/cli` check them, `npm pack` packs them, and fresh
 * scratch projects install the tarballs with npm under Node 20 and use them:
 *
 * - a Node server streams a job through `@hono/node-server` to a client;
 * - tsc checks a consumer's code against the `.d.ts` under a Node-only
 *   tsconfig (lib es2022, `@types/node`, no DOM) and a DOM one, both with
 *   `skipLibCheck: false`, and the types refuse a bad level, a reserved event
 *   name and an unknown store name;
 * - Bun imports the same tarball;
 * - under React 17, 18 and 19: `LogPanel` renders with `react-dom/server`, and
 *   the live `useLogStream` + `LogPanel`, mounted with react-dom in happy-dom,
 *   show the entries a packed `streamator` server sends over HTTP.
 *
 * Needs the npm registry (or npm's cache) for the packages a consumer installs.
 */
import assert from "node:assert/strict";
import { runCommand } from "./support/run_command.ts";
import { nodeBin, ROOT, toolBin, TOOLS } from "./support/tools.ts";

const HONO_NODE_SERVER = "@hono/node-server@1.19.19";
const TYPES_NODE = "@types/node@20.19.43";
const HAPPY_DOM = "happy-dom@21.0.4";
const AWS_SDK = ["@aws-sdk/client-dynamodb@3.1169.0", "@aws-sdk/lib-dynamodb@3.1169.0"];
const REDIS_CLIENT = "@redis/client@6.4.0";
const REACTS = { 17: "17.0.2", 18: "18.3.1", 19: "19.3.1" };
const TYPES_REACT = "@types/react@19.3.0";

async function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<string> {
  const out = await runCommand(command, args, {
    cwd,
    env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
    // An npm install from a cold cache is the slowest step.
    timeoutMs: 300_000,
  });
  if (!out.success) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${out.text}`);
  return out.stdout;
}

/** A scratch npm project in `dir` with the given packages installed. */
async function scratch(dir: string, packages: string[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify({ name: "scratch", private: true, type: "module" }),
  );
  await run(
    "npm",
    ["install", "--no-audit", "--prefer-offline", ...packages],
    dir,
  );
}

function lastJsonLine(text: string) {
  return JSON.parse(text.trim().split("\n").at(-1)!);
}

/** A tsconfig.json for tsc: a Node ES module project, strict, nothing skipped. */
function tsconfig(lib: string[], types: string[], files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      module: "node16",
      moduleResolution: "node16",
      target: "es2022",
      jsx: "react-jsx",
      lib,
      types,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files,
  });
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
    assert.match(
      build,
      /built streamator@.*main entry \d+ B minified, \d+ B gzipped/,
    );
    assert.match(
      build,
      /built streamator-react@.*main entry \d+ B minified, \d+ B gzipped/,
    );

    for (const name of ["streamator", "streamator-react"]) {
      await t.step(
        `publint and attw find nothing wrong with ${name}`,
        async () => {
          const dir = `${tmp}/npm/${name}`;
          await run(toolBin("publint"), ["run", "--strict", dir], tmp);
          const manifest = JSON.parse(
            await Deno.readTextFile(`${dir}/package.json`),
          );
          const css = Object.keys(manifest.exports).filter((key) => key.endsWith(".css"));
          // esm-only: ES modules only, which Node 20 imports (and from 20.19 also require()s).
          await run(toolBin("attw"), [
            "--pack",
            dir,
            "--profile",
            "esm-only",
            "--no-color",
            ...(css.length > 0 ? ["--exclude-entrypoints", ...css] : []),
          ], tmp);
        },
      );
    }

    const pack = async (name: string) => {
      const out = await run(
        "npm",
        ["pack", "--pack-destination", tmp, "--json"],
        `${tmp}/npm/${name}`,
      );
      return `${tmp}/${JSON.parse(out)[0].filename}`;
    };
    const core = await pack("streamator");
    const node16 = `${tmp}/node`;
    await scratch(node16, [core, HONO_NODE_SERVER, TYPES_NODE, ...AWS_SDK, REDIS_CLIENT]);

    await t.step(
      "a Node server streams a job through @hono/node-server",
      async () => {
        await Deno.copyFile(
          `${TOOLS}/smoke/stream_smoke.mjs`,
          `${node16}/smoke.mjs`,
        );
        await Deno.copyFile(
          `${TOOLS}/smoke/job_server.mjs`,
          `${node16}/job_server.mjs`,
        );
        const result = lastJsonLine(await run(node, ["smoke.mjs"], node16));
        assert.match(result.node, /^v2\d\./);
        assert.match(result.contentType, /^text\/event-stream/);
        assert.deepEqual(
          result.events.map((
            e: Record<string, unknown>,
          ) => [e.event, e.message ?? e.rows]),
          [["log", "fetching"], ["log", "parsing"], ["saved", 3], [
            "log",
            "Done",
          ], [
            "done",
            undefined,
          ]],
        );
        assert.deepEqual(
          result.snapshot.logs.map((e: Record<string, unknown>) => e.event)
            .slice(0, 4),
          ["log", "log", "saved", "log"],
        );
        assert.equal(result.snapshot.done, true);
        // streamator/client read the same kind of job, with no React installed.
        assert.deepEqual(result.client, {
          status: "done",
          texts: ["fetching", "parsing", "Done"],
          outcome: { status: "ok" },
        });
      },
    );

    for (
      const name of [
        "types_smoke.ts",
        "dynamo_types_smoke.ts",
        "node_types_smoke.ts",
      ]
    ) {
      await Deno.copyFile(`${TOOLS}/smoke/${name}`, `${node16}/${name}`);
    }
    await t.step(
      "tsc: a consumer type-checks under a Node-only tsconfig (no DOM)",
      async () => {
        await Deno.writeTextFile(
          `${node16}/tsconfig.json`,
          tsconfig(["es2022", "esnext.disposable"], ["node"], [
            "types_smoke.ts",
            "dynamo_types_smoke.ts",
            "node_types_smoke.ts",
          ]),
        );
        await run(tsc, ["-p", "."], node16);
      },
    );

    await t.step(
      "tsc: a consumer type-checks under a DOM tsconfig",
      async () => {
        await Deno.writeTextFile(
          `${node16}/tsconfig.json`,
          tsconfig(["es2022", "dom", "dom.iterable", "esnext.disposable"], [], [
            "types_smoke.ts",
          ]),
        );
        await run(tsc, ["-p", "."], node16);
      },
    );

    await t.step("Bun imports the same tarball", async () => {
      const code = 'const m = await import("streamator"); const l = new m.JobLogger(); ' +
        'l.log("bun"); const r = await m.makeSnapshotResponse(l.jobId); ' +
        "console.log(JSON.stringify(await r.json()));";
      const out = lastJsonLine(await run(bun, ["-e", code], node16));
      assert.equal(out.logs[0].message, "bun");
    });

    await t.step(
      "streamator/dynamo imports under Node with the AWS SDK peers",
      async () => {
        const code = 'const m = await import("streamator/dynamo"); ' +
          "console.log(JSON.stringify({ DynamoStore: typeof m.DynamoStore }));";
        const out = lastJsonLine(
          await run(node, ["--input-type=module", "-e", code], node16),
        );
        assert.deepEqual(out, { DynamoStore: "function" });
      },
    );

    await t.step("streamator/redis imports under Node with the @redis/client peer", async () => {
      const code = 'const m = await import("streamator/redis"); ' +
        "console.log(JSON.stringify({ RedisStore: typeof m.RedisStore }));";
      const out = lastJsonLine(await run(node, ["--input-type=module", "-e", code], node16));
      assert.deepEqual(out, { RedisStore: "function" });
    });

    const react = await pack("streamator-react");
    for (const [major, version] of Object.entries(REACTS)) {
      const dir = `${tmp}/react${major}`;
      await scratch(dir, [
        react,
        core,
        `react@${version}`,
        `react-dom@${version}`,
        HAPPY_DOM,
        HONO_NODE_SERVER,
      ]);
      await t.step(
        `React ${major}: LogPanel renders with react-dom/server`,
        async () => {
          await Deno.copyFile(
            `${TOOLS}/smoke/react_smoke.mjs`,
            `${dir}/smoke.mjs`,
          );
          const result = lastJsonLine(await run(node, ["smoke.mjs"], dir));
          assert.equal(result.version, version);
          assert.match(
            result.html,
            new RegExp(`hello from React ${version.replaceAll(".", "\\.")}`),
          );
          assert.match(result.html, /waiting…/);
          assert.deepEqual(result.warnings, [], "React warned while rendering");
        },
      );
      await t.step(
        `React ${major}: the live hook and panel show a job's entries`,
        async () => {
          await Deno.copyFile(
            `${TOOLS}/smoke/live_smoke.mjs`,
            `${dir}/live.mjs`,
          );
          await Deno.copyFile(
            `${TOOLS}/smoke/job_server.mjs`,
            `${dir}/job_server.mjs`,
          );
          const result = lastJsonLine(await run(node, ["live.mjs"], dir));
          assert.equal(result.version, version);
          assert.equal(result.status, "done");
          assert.equal(result.active, false);
          assert.deepEqual(result.logs, [
            { text: "fetching", level: "info" },
            { text: "parsing", level: "info" },
            { text: "saving", level: "info" },
            { text: "Done", level: "success" },
          ]);
          // The panel follows the newest entry: the last row is in the document.
          assert.match(result.rows.at(-1), /^\d+\.\ds Done$/);
        },
      );
    }

    await t.step(
      "tsc: a React consumer type-checks against streamator-react",
      async () => {
        const dir = `${tmp}/react19`;
        await run("npm", [
          "install",
          "--no-audit",
          "--prefer-offline",
          TYPES_REACT,
        ], dir);
        await Deno.copyFile(
          `${TOOLS}/smoke/react_types_smoke.tsx`,
          `${dir}/types_smoke.tsx`,
        );
        await Deno.writeTextFile(
          `${dir}/tsconfig.json`,
          tsconfig(["es2022", "dom", "dom.iterable"], [], ["types_smoke.tsx"]),
        );
        await run(tsc, ["-p", "."], dir);
      },
    );

    await t.step("Bun imports the streamator-react tarball", async () => {
      const code = 'const m = await import("streamator-react"); ' +
        "console.log(JSON.stringify(Object.keys(m).sort()));";
      const keys = lastJsonLine(await run(bun, ["-e", code], `${tmp}/react19`));
      for (const name of ["LogPanel", "makeFormatEvent", "useLogStream"]) {
        assert.ok(keys.includes(name), `${name} is not exported`);
      }
    });
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
