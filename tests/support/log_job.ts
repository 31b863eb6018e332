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

/** The last SSE event and the snapshot of a finished job. */
export async function ends(base: string, jobId: string) {
  await using stream = await SseClient.open(`${base}/log/${jobId}/stream`);
  const events = await stream.readToEnd(100, 5_000);
  const snapshot = await (await fetch(`${base}/log/${jobId}`)).json();
  return { done: events.at(-1), snapshot };
}
