import * as React from "react";
import {
  createLogStream,
  type LogStreamClient,
  type LogStreamOptions,
  type LogStreamState,
} from "./client/log_stream.ts";
import { defaultFormatEvent } from "./format_event.ts";

export type { StreamMode, StreamStatus } from "./client/log_stream.ts";

/**
 * Options of {@linkcode useLogStream}: those of `createLogStream`. `mode` and
 * the url pick the connection; `formatEvent` and `headers` are read as they
 * are used, so new values neither reconnect nor lose entries; the rest are
 * read when the url is first opened.
 *
 * @example
 * ```ts
 * import { makeFormatEvent, type UseLogStreamOptions } from "@streamator/core/react";
 * const options: UseLogStreamOptions = { mode: "poll", interval: 1000, formatEvent: makeFormatEvent() };
 * ```
 */
export interface UseLogStreamOptions extends LogStreamOptions {}

/**
 * What {@linkcode useLogStream} returns: `{ logs, active }`, where the stream
 * is (`status`, `error`), how the job ended (`outcome`), and two actions.
 *
 * @example
 * ```ts
 * import type { LogStream } from "@streamator/core/react";
 * const idle: LogStream = {
 *   logs: [],
 *   active: false,
 *   status: "idle",
 *   error: null,
 *   outcome: null,
 *   retry() {},
 *   stop() {},
 * };
 * ```
 */
export interface LogStream extends LogStreamState {
  /** Connects again from where the log stopped: after an error, a `stop()`, or to skip a wait. Stable for a url. */
  retry(): void;
  /** Closes the connection (`status: "idle"`); `retry()` resumes. Stable for a url. */
  stop(): void;
}

const IDLE: LogStreamState = {
  logs: [],
  active: false,
  status: "idle",
  error: null,
  outcome: null,
};
const noop = () => {};
const IDLE_CLIENT: LogStreamClient = {
  subscribe: () => noop,
  getSnapshot: () => IDLE,
  retry: noop,
  stop: noop,
  close: noop,
};

type Sync = <T>(subscribe: (f: () => void) => () => void, get: () => T, server: () => T) => T;

/** A store's state in a component, on React 17 (no `useSyncExternalStore`): a subscription. */
function useSubscription(client: LogStreamClient): LogStreamState {
  const [, render] = React.useState(0);
  const state = client.getSnapshot();
  React.useEffect(() => {
    const update = () => render((n) => n + 1);
    const unsubscribe = client.subscribe(update);
    if (client.getSnapshot() !== state) update();
    return unsubscribe;
  }, [client]);
  return state;
}

/**
 * Reads a job's live log, over Server-Sent Events (default) or polling, as
 * entries ready to render. A thin binding of `createLogStream` to React.
 *
 * - `null`/`undefined` url: idle, nothing opened. A new url (or mode) closes
 *   the old connection and starts over with no entries.
 * - SSE is read with `fetch()`, so `headers` (e.g. a bearer token) and
 *   `credentials` apply; a dropped connection resumes with `Last-Event-ID`,
 *   with no gap and no duplicate. Poll sends the server's `next` back as
 *   `?from=`, or diffs a plain `{ logs }` answer.
 * - Failures: a 4xx, a wrong content type or an unreadable poll answer stop
 *   with `status: "error"` and an `error` naming the cause; network errors,
 *   5xx and 429 are retried with backoff (`status: "reconnecting"`), until
 *   `maxRetries` or about 30 s of failing. `retry()` starts again.
 * - The done event ends it: `status: "done"` and its `outcome`; a lost job
 *   (its writer died) is `status: "error"`.
 * - Entries commit at most once per animation frame; `t` is the event's
 *   server time, else the seconds since connecting.
 *
 * @example
 * ```tsx
 * import { LogPanel, useLogStream } from "@streamator/core/react";
 *
 * function JobLog({ jobId, token }: { jobId: string | null; token: string }) {
 *   const { logs, active, status, error, retry } = useLogStream(jobId && `/log/${jobId}/stream`, {
 *     headers: { Authorization: `Bearer ${token}` },
 *   });
 *   return (
 *     <>
 *       {status === "error" && <button onClick={retry}>{error?.message} Retry</button>}
 *       <LogPanel logs={logs} active={active} />
 *     </>
 *   );
 * }
 * ```
 */
export function useLogStream(
  url: string | null | undefined,
  options: UseLogStreamOptions = {},
): LogStream {
  if (url != null && typeof url != "string") {
    throw new TypeError("useLogStream: url must be a string, null or undefined");
  }
  const { mode, formatEvent } = options;
  const latest = React.useRef(options);
  latest.current = options;
  const format = React.useRef(formatEvent);
  format.current = formatEvent;
  const client = React.useMemo(
    () =>
      url
        ? createLogStream(url, {
          ...options,
          formatEvent: (raw) => (format.current ?? defaultFormatEvent)(raw),
          headers: () => {
            const headers = latest.current.headers;
            return (typeof headers == "function" ? headers() : headers) as HeadersInit;
          },
        })
        : IDLE_CLIENT,
    [url, mode],
  );
  // Chosen by the React version, so the same branch runs on every render.
  const sync = (React as { useSyncExternalStore?: Sync }).useSyncExternalStore;
  const state = sync
    ? sync(client.subscribe, client.getSnapshot, client.getSnapshot)
    : useSubscription(client);
  return { ...state, retry: client.retry, stop: client.stop };
}
