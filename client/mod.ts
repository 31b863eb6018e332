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
 * import { createLogStream } from "@streamator/core/client";
 *
 * const stream = createLogStream("http://127.0.0.1:8000/log/abc/stream", {
 *   headers: async () => ({ Authorization: "Bearer my-token" }),
 * });
 * const unsubscribe = stream.subscribe(() => {
 *   const { logs, status, outcome } = stream.getSnapshot();
 *   if (status === "done") console.log(logs.length, "entries,", outcome?.status);
 * });
 * // later
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
