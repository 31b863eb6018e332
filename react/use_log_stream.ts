import * as React from "react";
import { createLogStream, type LogStream, type LogStreamOptions } from "../client/log_stream.ts";

export type { LogStream, StreamMode, StreamStatus } from "../client/log_stream.ts";

/**
 * Options of {@linkcode useLogStream}: those of `createLogStream`. `mode` and
 * the url pick the connection; `formatEvent`, `headers`, `credentials` and
 * `fetch` are read as they are used, so new values neither reconnect nor
 * lose entries; `interval`, `maxRetries`, `giveUpAfter` and
 * `heartbeatTimeout` are read when the url is first opened.
 */
export interface UseLogStreamOptions extends LogStreamOptions {}

type Sync = <T>(subscribe: (f: () => void) => () => void, get: () => T, server: () => T) => T;

/**
 * `useSyncExternalStore` for React 17, which has none: a subscription that
 * renders on each change. A new stream changes only once subscribed to (or
 * by its own `retry()` / `stop()`), so nothing is missed between the
 * render and the effect.
 */
const useSubscription: Sync = (subscribe, get) => {
  const [, render] = React.useReducer((n: number) => n + 1, 0);
  React.useEffect(() => subscribe(render), [subscribe]);
  return get();
};

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
 *   `maxRetries` attempts or `giveUpAfter` ms of failing (default 30 s). A
 *   reconnect answered with a readable log ends the failures. `retry()`
 *   starts again.
 * - Silence is a dead connection (replaced after `heartbeatTimeout`) only
 *   once the server has sent a heartbeat; otherwise it is a quiet job.
 * - The done event ends it: `status: "done"` and its `outcome`; a lost job
 *   (its writer died, or the server no longer knows a job that was open: a
 *   404 or 410) is `status: "error"` with `outcome.status: "lost"`.
 * - Entries commit at most once per animation frame, in a task of their own
 *   right after it; `t` is the event's server time, else the seconds since
 *   connecting.
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
  const latest = React.useRef(options);
  latest.current = options;
  // A new url or mode: a new stream (a null url: an idle one).
  const client = React.useMemo(() => createLogStream(url, options, () => latest.current), [
    url,
    options.mode,
  ]);
  // Chosen by the React version, so the same hooks run on every render.
  return ((React as { useSyncExternalStore?: Sync }).useSyncExternalStore ?? useSubscription)(
    client.subscribe,
    client.getSnapshot,
    client.getSnapshot,
  );
}
