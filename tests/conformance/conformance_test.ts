/**
 * The conformance suite (`suite.ts`) on every runtime the handler promises:
 * each server is the README's example for that runtime, run as its own
 * process on 127.0.0.1 at a free port, stopped when its test ends. Next.js
 * and the Redis store have their files beside this one.
 *
 * The npm tools (bun, miniflare/workerd, esbuild, @hono/node-server) come from
 * `tools/`, installed by `scripts/setup.sh`; a missing one fails the test.
 */
import assert from "node:assert/strict";
import { bundle } from "../support/bundle.ts";
import { type ServerCommand, startServerProcess } from "../support/process_server.ts";
import { nodeBin, ROOT, toolBin } from "../support/tools.ts";
import { startJob, type Target } from "./suite.ts";
import { SseClient } from "../support/sse_client.ts";
import { conformance, env } from "./run.ts";

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
