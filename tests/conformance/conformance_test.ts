/**
 * The conformance suite (`suite.ts`) on every runtime the handler promises:
 * each server is the README's example for that runtime, run as its own
 * process on 127.0.0.1 at a free port, stopped when its test ends.
 *
 * The npm tools (bun, miniflare/workerd, esbuild, @hono/node-server) come from
 * `tools/`, installed by `scripts/setup.sh`; a missing one fails the test.
 */
import assert from "node:assert/strict";
import { bundle } from "../support/bundle.ts";
import { type ServerCommand, startServerProcess } from "../support/process_server.ts";
import { nodeBin, ROOT, toolBin } from "../support/tools.ts";
import { runChecks, startJob, type Target } from "./suite.ts";
import { SseClient } from "../support/sse_client.ts";
import { prepareNextApp } from "./next_app.ts";
import { startRedis } from "../support/redis.ts";

const HEARTBEAT_MS = 100;
const env = { PORT: "0", HEARTBEAT_MS: String(HEARTBEAT_MS) };

async function conformance(
  t: Deno.TestContext,
  command: ServerCommand,
  extra: Partial<Target> = {},
  more?: (target: Target) => Promise<unknown>,
) {
  await using server = await startServerProcess({ env, cwd: ROOT, ...command });
  const target: Target = { url: server.url, heartbeatMs: HEARTBEAT_MS, ...extra };
  await runChecks(t, target);
  if (more) await more(target);
}

Deno.test("conformance: Deno.serve (examples/deno_serve.ts)", async (t) => {
  await conformance(t, {
    command: Deno.execPath(),
    args: ["run", "--allow-net=127.0.0.1", "--allow-env", "examples/deno_serve.ts"],
  });
});

Deno.test("conformance: Bun.serve (examples/bun_serve.ts)", async (t) => {
  const bun = { command: toolBin("bun"), args: ["run", "examples/bun_serve.ts"] };
  await conformance(
    t,
    bun,
    {},
    (target) =>
      t.step(
        "heartbeats keep a stream open past Bun's idleTimeout; without them it is cut",
        () => bunIdle(target, bun),
      ),
  );
});

/**
 * A job that is silent for 16 s, read from two Bun servers with Bun's default
 * 10 s `idleTimeout`: the one with heartbeats delivers it; the one whose
 * heartbeat is longer than the timeout has its stream cut by Bun before the
 * entry (Bun checks idle sockets every few seconds, so the cut comes at 10 to 14 s, here at 12).
 */
async function bunIdle(target: Target, bun: ServerCommand) {
  const silentMs = 16_000;
  await using quiet = await startServerProcess({
    ...bun,
    cwd: ROOT,
    env: { ...env, HEARTBEAT_MS: "60000" },
  });
  /** What a reader sees: each event's message or name, then "cut" if the connection broke. */
  const read = async (url: string) => {
    const jobId = await startJob({ url, heartbeatMs: 0 }, 1, silentMs);
    await using client = await SseClient.open(`${url}/log/${jobId}/stream`);
    const seen: unknown[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const event = await client.nextEvent(silentMs + 5_000);
        if (event === undefined) return [...seen, "end"];
        const data = JSON.parse(event.data);
        seen.push(data.message ?? data.event);
        if (data.event === "done") return seen;
      }
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // a broken connection, not a time-out
      return [...seen, "cut"];
    }
    return seen;
  };
  const [kept, cut] = await Promise.all([read(target.url), read(quiet.url)]);
  assert.deepEqual(kept, ["step 1 of 1", "done"]);
  assert.ok(["cut", "end"].includes(String(cut[0])), `Bun kept an idle stream open: ${cut}`);
}

Deno.test("conformance: Node 20 + node:http and toNodeHandler (examples/node_server.ts)", async (t) => {
  const script = await bundle("examples/node_server.ts", "node_server", "node");
  await conformance(t, { command: await nodeBin(), args: [script] });
});

Deno.test("conformance: Cloudflare workerd via miniflare (examples/workers.ts)", async (t) => {
  const script = await bundle("examples/workers.ts", "worker", "worker");
  await conformance(t, { command: await nodeBin(), args: ["tools/serve_worker.mjs", script] });
});

Deno.test("conformance: Hono route on Node (examples/hono_app.ts)", async (t) => {
  const script = await bundle("tests/conformance/servers/hono_node.ts", "hono_node", "node");
  await conformance(t, { command: await nodeBin(), args: [script] });
});

Deno.test("conformance: Next.js route handlers (examples/nextjs/app) under next dev", async (t) => {
  // In development Next.js bundles each route apart: the job's route and the
  // log route must still share the default store.
  const node = await nodeBin();
  const app = await prepareNextApp(node, "dev", false);
  await conformance(t, {
    command: node,
    args: [app.next, "dev", app.dir, "-H", "127.0.0.1", "-p", "0"],
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    ready: /Ready in/,
    startTimeoutMs: 60_000,
  }, { frameworkAnswers405: true });
});

Deno.test("conformance: Next.js route handlers (examples/nextjs/app) under next start", async (t) => {
  const node = await nodeBin();
  const app = await prepareNextApp(node, "start", true);
  await conformance(t, {
    command: node,
    args: [app.next, "start", app.dir, "-H", "127.0.0.1", "-p", "0"],
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    ready: /Ready in/,
  }, { frameworkAnswers405: true });
});

Deno.test("conformance: the Redis store on Deno, Node and Bun (tests/conformance/servers/redis_server.ts)", async (t) => {
  await using redis = await startRedis();
  const redisEnv = { ...env, REDIS_URL: redis.url };
  const source = "tests/conformance/servers/redis_server.ts";
  const script = await bundle(source, "redis_server", "node");
  const runtimes: [string, ServerCommand][] = [
    ["Deno", {
      command: Deno.execPath(),
      args: ["run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", "--allow-sys", source],
    }],
    ["Node", { command: await nodeBin(), args: [script] }],
    ["Bun", { command: toolBin("bun"), args: ["run", script] }],
  ];
  for (const [name, command] of runtimes) {
    await t.step(name, async (t) => {
      await using server = await startServerProcess({ env: redisEnv, cwd: ROOT, ...command });
      await runChecks(t, { url: server.url, heartbeatMs: HEARTBEAT_MS });
    });
  }
});
