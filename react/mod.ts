/**
 * Streamator for React: show a job's live log in the browser.
 *
 * - {@linkcode useLogStream} reads a job's entries over Server-Sent Events or
 *   polling from a `createLogHandler` route (or any backend sending the same
 *   events) and returns `{ logs, active, status, error, outcome, retry, stop }`.
 * - {@linkcode useJob} is a whole job: its log, its outcome, its result
 *   (read once it ends) and `cancel()`, from the `createLogHandler` routes.
 * - {@linkcode createLogStream} is the same reader without React: a store
 *   with `subscribe` / `getSnapshot`, for any runtime with `fetch` (also
 *   alone, with no React, from `@streamator/core/client`).
 * - {@linkcode LogPanel} renders them: follows the newest entry, stays put
 *   when the reader scrolls up, keeps only the visible rows in the DOM, and
 *   shows the stream's status (reconnecting, error with Retry, done).
 * - {@linkcode LogViewer} adds search, a level filter, follow, copy and
 *   download, and ANSI colours ({@linkcode renderAnsi}) on top of it.
 * - {@linkcode makeFormatEvent} and {@linkcode BASE_EVENT_LABELS} turn
 *   structured events from `logger.emit()` into readable lines.
 *
 * Styles: `react/log.css` (classes `streamator-log*`, themable with
 * `--streamator-*` custom properties) and `react/log-compat.css` for the old
 * `.log`, `.log-time`, `.log-waiting` class names. React 17 or later is a peer
 * dependency; there is no other.
 *
 * @example
 * ```tsx
 * import { LogPanel, makeFormatEvent, useLogStream } from "@streamator/core/react";
 *
 * const formatEvent = makeFormatEvent({
 *   scraping: (e) => `🔍 Scraping ${e.url}`,
 * });
 *
 * export function JobLog({ jobId }: { jobId: string | null }) {
 *   const { logs, active } = useLogStream(jobId && `/log/${jobId}/stream`, { formatEvent });
 *   return <LogPanel logs={logs} active={active} />;
 * }
 * ```
 *
 * @module
 */
export { type LogStream, useLogStream, type UseLogStreamOptions } from "./use_log_stream.ts";
export {
  createLogStream,
  type Credentials,
  type HeadersFunction,
  type LogStreamClient,
  type LogStreamOptions,
  type LogStreamState,
  type Outcome,
  type Progress,
  type RequestHeaders,
  type StreamMode,
  type StreamStatus,
} from "../client/mod.ts";
export type { OutcomeStatus } from "../server/wire.ts";
export { type AnsiRenderer, LogPanel, type LogPanelProps } from "./log_panel.tsx";
export { entryClassName } from "./row.ts";
export { LogViewer, type LogViewerProps } from "./log_viewer.tsx";
export { ProgressBar, type ProgressBarProps } from "./progress_bar.tsx";
export { createLineView, type LineView } from "./carriage_return.ts";
export type { LogViewerLabels } from "./viewer/labels.ts";
export { type AnsiSegment, parseAnsi, renderAnsi, stripAnsi } from "./ansi.ts";
export {
  BASE_EVENT_LABELS,
  defaultFormatEvent,
  type EventLabel,
  makeFormatEvent,
} from "../client/format_event.ts";
export { formatTime } from "../client/format_time.ts";
export type { FormatEvent, LogEntry, LogLevel, RawEvent } from "../client/types.ts";
export { type JobView, type ResultStatus, useJob, type UseJobOptions } from "./use_job.ts";
