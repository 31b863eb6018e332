/** Test support: a job logging into a fresh store, served by a real handler. */
import { createLogHandler, JobLogger, type LogHandlerOptions, MemoryStore } from "../../mod.ts";
import { serve } from "./serve.ts";
import { SseClient } from "./sse_client.ts";

/**
 * A handler with `options` (a fresh `MemoryStore` unless they name a store)
 * on 127.0.0.1, and a job logging into the same store. `await using` the
 * server stops it.
 */
export function setup(options: LogHandlerOptions = {}) {
  const store = options.store ?? new MemoryStore();
  const server = serve(createLogHandler({ ...options, store }));
  const logger = new JobLogger({ store });
  return { store, server, logger };
}

/**
 * `setup()` over a `MemoryStore` with these limits, and the job's SSE url.
 */
export function streamJob(
  options: { heartbeatMs?: number; maxEntries?: number; idleMs?: number } = {},
) {
  const { heartbeatMs, maxEntries, idleMs } = options;
  const store = new MemoryStore({ maxEntries, idleMs });
  const { server, logger } = setup({ store, heartbeatMs });
  return { store, server, logger, url: `${server.url}/log/${logger.jobId}/stream` };
}

/** The messages of the plain `log` events among `events`. */
export const messages = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.event === "log").map((e) => e.message);

/** The last SSE event and the snapshot of a finished job. */
export async function ends(base: string, jobId: string) {
  await using stream = await SseClient.open(`${base}/log/${jobId}/stream`);
  const events = await stream.readToEnd(100, 5_000);
  const snapshot = await (await fetch(`${base}/log/${jobId}`)).json();
  return { done: events.at(-1), snapshot };
}
