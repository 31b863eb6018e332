/**
 * Bench support for bench/redis.ts: log() → SSE latency with the writer in
 * its own process (the Redis and DynamoDB stores) or in the server's process
 * (the memory store), and the subscribers in a client process
 * (bench/support/sse_clients.ts).
 *
 * @module
 */
import { createLogHandler, JobLogger, MemoryStore, type Store } from "../../mod.ts";
import { CLIENT_FLAGS, JsonProcess } from "./process.ts";
import type { ClientResult } from "./sse_clients.ts";

const CLIENTS = new URL("./sse_clients.ts", import.meta.url);
const WRITER = new URL("./redis_bench_writer.ts", import.meta.url).pathname;
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` SSE subscribers of the job in a client process; `produce()` logs, then latencies. */
async function subscribers(
  port: number,
  jobId: string,
  count: number,
  ms: number,
  produce: () => Promise<void>,
): Promise<ClientResult> {
  const deadlineMs = ms + 60_000;
  await using clients = JsonProcess.deno(CLIENTS, CLIENT_FLAGS, [
    JSON.stringify({ port, path: `/log/${jobId}/stream`, count, mode: "latency", deadlineMs }),
  ]);
  await clients.next(20_000);
  await produce();
  const result = await clients.next<ClientResult>(deadlineMs + 5_000);
  if (result.error || result.completed !== count) throw new Error(JSON.stringify(result));
  return result;
}

/** A server of `store`'s logs on a free port, in this process. */
function logServer(store: Store) {
  const logs = createLogHandler({ prefix: "/log", store, heartbeatMs: 5_000 });
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => (await logs(request)) ?? new Response(null, { status: 404 }),
  );
}

/** The writer in its own process, the server of `store` here, the subscribers in a third. */
export async function crossProcess(
  kind: "redis" | "dynamo",
  target: string,
  store: Store,
  count: number,
  perSec: number,
  ms: number,
): Promise<ClientResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WRITER, kind, target, String(perSec), String(ms)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const line = async () => {
      let out = "";
      while (!out.includes("\n")) {
        const { done, value } = await lines.read();
        if (done) throw new Error(`the ${kind} writer exited`);
        out += value;
      }
      return JSON.parse(out.trim());
    };
    const { jobId } = await line();
    await using server = logServer(store);
    const writer = child.stdin.getWriter();
    const result = await subscribers(server.addr.port, jobId, count, ms, async () => {
      await writer.write(new TextEncoder().encode("go\n"));
      await line(); // {"sent"}: the job is closed
    });
    await writer.close();
    lines.releaseLock();
    await child.stdout.cancel().catch(() => {});
    return result;
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
  }
}

/** The memory store: writer and server in this process (as it must be), subscribers apart. */
export async function inProcess(count: number, perSec: number, ms: number): Promise<ClientResult> {
  const store = new MemoryStore();
  await using server = logServer(store);
  const logger = new JobLogger({ store });
  return await subscribers(server.addr.port, logger.jobId, count, ms, async () => {
    const start = now();
    let sent = 0;
    while (now() - start < ms) {
      const due = Math.floor(((now() - start) / 1000) * perSec);
      for (; sent < due; sent++) logger.log(`at ${now()}`);
      await pause(1);
    }
    await logger.close();
  });
}
