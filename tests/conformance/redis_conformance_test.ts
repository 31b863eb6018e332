/**
 * The conformance suite on the Redis store: one server script
 * (servers/redis_server.ts) on Deno, Node and Bun, all on one redis-server.
 */
import { bundle } from "../support/bundle.ts";
import { type ServerCommand, startServerProcess } from "../support/process_server.ts";
import { nodeBin, ROOT, toolBin } from "../support/tools.ts";
import { runChecks } from "./suite.ts";
import { startRedis } from "../support/redis.ts";
import { env, HEARTBEAT_MS } from "./run.ts";

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
