/**
 * Streamator's client without React: reads a job's live log over
 * Server-Sent Events (a `fetch()` body, no `EventSource`) or polling, from a
 * `createLogHandler` route or any backend sending the same events, into a
 * store with `subscribe` / `getSnapshot`.
 *
 * It runs wherever `fetch` and `ReadableStream` exist: browsers, Deno, Bun,
 * Node 20+. It has no dependency, and its types need no DOM lib. The React
 * entry (`@streamator/core/react`) builds `useLogStream` and `useJob` on it
 * and re-exports it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { createLogStream } from "@streamator/core/client";
 *
 * // A job, and the server's log routes (called in-process here, through the `fetch` option).
 * const routes = createLogHandler({ prefix: "/log" });
 * const logger = new JobLogger();
 * logger.log("Scraping https://example.com");
 * logger.log("Done", "success");
 * await logger.close();
 *
 * const stream = createLogStream(`http://127.0.0.1:8000/log/${logger.jobId}/stream`, {
 *   headers: async () => ({ Authorization: "Bearer my-token" }),
 *   fetch: async (url, init) => (await routes(new Request(url, init)))!,
 * });
 * const ended = Promise.withResolvers<void>();
 * const unsubscribe = stream.subscribe(() => {
 *   if (stream.getSnapshot().status === "done") ended.resolve();
 * });
 * await ended.promise;
 * const { logs, outcome } = stream.getSnapshot();
 * assert.deepEqual(logs.map((entry) => [entry.text, entry.level]), [
 *   ["Scraping https://example.com", "info"],
 *   ["Done", "success"],
 * ]);
 * assert.deepEqual(outcome, { status: "ok" });
 * unsubscribe();
 * stream.close();
 * ```
 *
 * @module
 */
export { createLogStream } from "./log_stream.ts";
export type {
  Credentials,
  HeadersFunction,
  LogStream,
  LogStreamClient,
  LogStreamOptions,
  LogStreamState,
  Outcome,
  OutcomeStatus,
  Progress,
  RequestHeaders,
  StreamMode,
  StreamStatus,
} from "./stream_types.ts";
export type { FormatEvent, LogEntry, LogLevel, RawEvent } from "./types.ts";
