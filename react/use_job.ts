import * as React from "react";
import { reason, send } from "../client/request.ts";
import { type LogStream, useLogStream, type UseLogStreamOptions } from "./use_log_stream.ts";

/**
 * Options of {@linkcode useJob}: where the job routes live, and those of
 * `useLogStream`. `headers`, `credentials` and `fetch` apply to the result
 * and cancel requests too.
 */
export interface UseJobOptions extends UseLogStreamOptions {
  /** The handler's `prefix`, e.g. `"/log"` (default) or `"https://api.example/log"`. */
  prefix?: string;
}

/**
 * Where a job's result is: `"waiting"` (the job runs, or it is being
 * read), `"ready"` (in `result`), `"none"` (the job ended without one) or
 * `"error"` (it could not be read; see `resultError`).
 */
export type ResultStatus = "waiting" | "ready" | "none" | "error";

/**
 * What {@linkcode useJob} returns: the job's log stream (`logs`, `status`,
 * `outcome`, …) plus its result (of type `T`, as the caller declares it: the
 * JSON is not checked) and a way to cancel it.
 */
export interface JobView<T = unknown> extends LogStream {
  /** The job's result (any JSON value) once it ended and was read; `undefined` before, or without one. */
  result: T | undefined;
  /** Where the result is. */
  resultStatus: ResultStatus;
  /** Why the result could not be read (`resultStatus: "error"`); else `null`. */
  resultError: Error | null;
  /** `true` from `cancel()` until the job ends, unless the request fails. */
  cancelling: boolean;
  /** Why the last `cancel()` failed (e.g. `403: forbidden`); else `null`. */
  cancelError: Error | null;
  /**
   * Asks the server to stop the job (`POST {prefix}/{jobId}/cancel`). Safe
   * to call twice (one request) and after the end (no request). Resolves
   * once the server answered; never rejects (see `cancelError`). Stable for
   * a job id.
   */
  cancel(): Promise<void>;
}

interface JobState {
  key: string;
  result: unknown;
  resultStatus: ResultStatus;
  resultError: Error | null;
  cancelling: boolean;
  cancelError: Error | null;
}

const initial = (key: string): JobState => ({
  key,
  result: undefined,
  resultStatus: "waiting",
  resultError: null,
  cancelling: false,
  cancelError: null,
});

/** A 202 right after the end (a store that shows the end before the result): read again, this often. */
const RESULT_RETRIES = 5;
const RESULT_RETRY_MS = 300;

/**
 * A whole job in one hook: its live log (as `useLogStream`), how it ended
 * (`outcome`), its result (read once the job ends, from
 * `GET {prefix}/{jobId}/result`) and `cancel()`. A `null` job id is idle.
 * `T` is the result's type, as the server's job writes it (`useJob<Report>(id)`);
 * the JSON read is not checked against it.
 *
 * @example
 * ```tsx
 * import { LogPanel, useJob } from "@streamator/core/react";
 *
 * function Job({ jobId }: { jobId: string | null }) {
 *   const job = useJob(jobId, { prefix: "/log" });
 *   return (
 *     <section>
 *       <LogPanel logs={job.logs} active={job.active} />
 *       {job.active && (
 *         <button onClick={job.cancel} disabled={job.cancelling}>Cancel</button>
 *       )}
 *       {job.outcome?.status === "error" && <p role="alert">Failed: {job.outcome.message}</p>}
 *       {job.resultStatus === "ready" && <pre>{JSON.stringify(job.result, null, 2)}</pre>}
 *     </section>
 *   );
 * }
 * ```
 */
export function useJob<T = unknown>(
  jobId: string | null | undefined,
  options: UseJobOptions = {},
): JobView<T> {
  if (jobId !== null && jobId !== undefined && (typeof jobId !== "string" || jobId === "")) {
    throw new TypeError("useJob: jobId must be a non-empty string, null or undefined");
  }
  const { prefix = "/log", ...streamOptions } = options;
  if (typeof prefix !== "string") throw new TypeError("useJob: options.prefix must be a string");
  const base = jobId ? `${prefix.replace(/\/+$/, "")}/${encodeURIComponent(jobId)}` : "";
  const stream = useLogStream(
    base && (streamOptions.mode === "poll" ? base : `${base}/stream`),
    streamOptions,
  );

  const latest = React.useRef(options);
  latest.current = options;
  const [state, setState] = React.useState<JobState>(() => initial(base));
  const current = state.key === base ? state : initial(base);
  const update = React.useCallback((key: string, change: Partial<JobState>) => {
    setState((prev) => ({ ...(prev.key === key ? prev : initial(key)), ...change }));
  }, []);

  const ended = stream.outcome !== null;
  const failed = stream.status === "error" && !ended;
  // The result of a job whose stream failed is never asked for: its error says so, and why.
  const notRead = React.useMemo(
    () => failed ? new Error(`${base}/result was not read: ${stream.error?.message}`) : null,
    [failed, base, stream.error],
  );
  // The result, once the job ended.
  React.useEffect(() => {
    if (!base || !ended) return;
    const abort = new AbortController();
    readResult(base, latest.current, abort.signal).then(
      (read) => abort.signal.aborted || update(base, { ...read, resultError: null }),
      (error) =>
        abort.signal.aborted ||
        update(base, { resultStatus: "error", resultError: error as Error }),
    );
    return () => abort.abort();
  }, [base, ended]);

  // One cancel request at a time per job; none after the end.
  const inFlight = React.useRef<{ key: string; promise: Promise<void> } | null>(null);
  const endedRef = React.useRef(ended);
  endedRef.current = ended;
  const sent = React.useRef("");
  const cancel = React.useCallback((): Promise<void> => {
    if (!base || endedRef.current || sent.current === base) return Promise.resolve();
    if (inFlight.current?.key === base) return inFlight.current.promise;
    update(base, { cancelling: true, cancelError: null });
    const promise = send(`${base}/cancel`, latest.current, { method: "POST" }).then(
      async (response) => {
        if (response.status === 202 || response.status === 200) {
          sent.current = base;
          await response.body?.cancel();
          // 200: the job had already ended; the stream shows how.
          if (response.status === 200) update(base, { cancelling: false });
          return;
        }
        throw new Error(`${base}/cancel answered ${response.status}${await reason(response)}`);
      },
    ).catch((error: Error) => {
      update(base, { cancelling: false, cancelError: error });
    }).finally(() => {
      if (inFlight.current?.promise === promise) inFlight.current = null;
    });
    inFlight.current = { key: base, promise };
    return promise;
  }, [base]);

  return {
    ...stream,
    result: current.result as T | undefined,
    // A stream that failed before the end (an unknown job, say) leaves no result to wait for.
    resultStatus: !base ? "none" : failed ? "error" : current.resultStatus,
    resultError: failed ? notRead : current.resultError,
    cancelling: current.cancelling && !ended,
    cancelError: current.cancelError,
    cancel,
  };
}

/** Reads `{base}/result`: 200 is the value, 204 none; a 202 right after the end is read again. */
async function readResult(
  base: string,
  options: UseJobOptions,
  signal: AbortSignal,
): Promise<Pick<JobState, "result" | "resultStatus">> {
  for (let attempt = 0;; attempt++) {
    const response = await send(`${base}/result`, options, { signal });
    if (response.status === 200) {
      try {
        return { result: await response.json(), resultStatus: "ready" };
      } catch {
        throw new Error(`${base}/result answered invalid JSON`);
      }
    }
    if (response.status === 204) return { result: undefined, resultStatus: "none" };
    if (response.status !== 202 || attempt >= RESULT_RETRIES) {
      throw new Error(`${base}/result answered ${response.status}${await reason(response)}`);
    }
    await response.body?.cancel();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RESULT_RETRY_MS);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (signal.aborted) throw new Error("aborted");
  }
}
