/**
 * The stream's connect and retry loop: one attempt after another, each
 * watched for silence (see `heartbeatTimeout`), with backoff between
 * failures, until the job ends, a failure that retrying cannot mend comes,
 * or the give-up rules (`maxRetries`, `giveUpAfter`) stop it. It owns the
 * timing options: their defaults, and a TypeError for a wrong one.
 *
 * @module
 */
import type { RawEvent } from "./types.ts";
import { backoff } from "./backoff.ts";
import { now } from "./next_paint.ts";
import { type Failure, fault } from "./response_check.ts";
import { createStreamReader } from "./stream_reader.ts";
import type { LogStreamOptions, Outcome, StreamStatus } from "./stream_types.ts";

/** Ms between polls, by default. */
const INTERVAL_MS = 3_000;
/** Ms of silence after which a connection counts as dead, by default. */
const HEARTBEAT_TIMEOUT_MS = 15_000;
/** Ms of failing in a row after which a stream without `maxRetries` gives up, by default. */
const GIVE_UP_AFTER_MS = 30_000;
/** Answers that, for a job this stream had open, say the server no longer knows it. */
const FORGOTTEN = [404, 410];
/** Why such a job is lost, in words. */
const FORGOTTEN_JOB =
  "The server no longer knows this job: it restarted, or its store lives in one process";
/** The longest delay a timer keeps (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Why an attempt was aborted: the stream stopped, the connection went silent, or time ran out. */
const STOPPED = "stopped";
const SILENT = "silent";
const GIVE_UP = "give up";

/**
 * The connect loop of the stream of `url` (validated), with `options`'
 * mode and timing (a TypeError names a wrong one); `live()` gives each
 * request's options. Its reader hands events to `handle` (`true` at the
 * end of the stream) and a poll answer's newest progress to `setProgress`;
 * the loop sets the status and error with `set`, and `end`s the job as an
 * outcome says. Each call runs it until the job ends, the stream fails for
 * good, or `signal` aborts; the cursor carries from one run to the next.
 */
export function createConnectLoop(
  url: string,
  options: LogStreamOptions,
  live: () => LogStreamOptions,
  handle: (raw: RawEvent) => boolean,
  setProgress: (raw: RawEvent) => void,
  set: (status: StreamStatus, error?: Error | null) => void,
  end: (outcome: Outcome) => void,
): (signal: AbortSignal) => Promise<void> {
  const {
    mode = "sse",
    interval = INTERVAL_MS,
    maxRetries,
    heartbeatTimeout = HEARTBEAT_TIMEOUT_MS,
    giveUpAfter = maxRetries === undefined ? GIVE_UP_AFTER_MS : Infinity,
  } = options;
  if (mode !== "sse" && mode !== "poll") {
    throw new TypeError('options.mode must be "sse" or "poll"');
  }
  positive("interval", interval);
  positive("heartbeatTimeout", heartbeatTimeout);
  positive("giveUpAfter", giveUpAfter);
  const sse = mode === "sse";
  const reader = createStreamReader(url, sse, handle, setProgress);
  // Whether the server answered with a readable log once: a 404 after that means the job was lost.
  let opened = false;

  return async (signal) => {
    set(opened ? "reconnecting" : "connecting");
    // Failures in a row, when the first of them came, and the last of them.
    let failures = 0;
    let failingSince = 0;
    let last: Error | null = null;

    /** Stops retrying: `"error"`, with the last failure and how long it was tried. */
    const giveUp = (e: Error | null) => {
      const counted = maxRetries !== undefined && failures > maxRetries;
      const span = counted ? "" : ` in ${giveUpAfter / 1_000} s`;
      set("error", new Error(`${e?.message} (gave up after ${failures} attempts${span})`));
    };

    /** What a silent connection is called: still unanswered, or quiet past `heartbeatTimeout`. */
    const silence = (answered: boolean) =>
      !answered
        ? `${url} did not answer within ${heartbeatTimeout} ms`
        : sse
        ? `${url} sent nothing for ${heartbeatTimeout} ms, not even its heartbeat`
        : `${url} sent nothing for ${heartbeatTimeout} ms`;

    for (;;) {
      let wait = interval;
      // This attempt's own signal: it also aborts when the connection goes silent (see
      // heartbeatTimeout), as one a network change left behind does without ever closing,
      // and at the give-up time while failing.
      // (One timer per heartbeatTimeout, not one per chunk: a chunk only notes its time.)
      const attempt = new AbortController();
      const stopped = () => attempt.abort(STOPPED);
      let answered = false;
      let read = false;
      let heard = now();
      const watch = () => {
        const at = now();
        const failing = failures > 0 && !answered;
        if (failing && at - failingSince >= giveUpAfter) return attempt.abort(GIVE_UP);
        // Silence is a dead connection while an answer is awaited, in a poll answer, and in an
        // SSE stream from a server that has shown it sends heartbeats; else it is a quiet job.
        const silenceCounts = !answered || !sse || reader.heartbeats();
        if (silenceCounts && at - heard >= heartbeatTimeout) return attempt.abort(SILENT);
        let wake = silenceCounts ? heard + heartbeatTimeout - at : heartbeatTimeout;
        if (failing) wake = Math.min(wake, failingSince + giveUpAfter - at);
        timer = setTimeout(watch, Math.min(wake, MAX_TIMER_MS));
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      watch();
      signal.addEventListener("abort", stopped);
      // The failures before this attempt: they count again if its answer closes empty.
      const streak = { failures, failingSince };
      try {
        const response = await reader.ask(live(), attempt.signal);
        // A readable answer: the connection works, and the failures before it no longer count.
        answered = true;
        opened = true;
        failures = 0;
        heard = now();
        set("open");
        // 204: the stream had already ended (a reconnect after its last entry).
        if (response.status === 204) {
          end({ status: "ok" });
          return;
        }
        const ended = await reader.read(response, attempt.signal, () => {
          read = true;
          heard = now();
        });
        if (ended) return;
        if (sse || attempt.signal.aborted) {
          // An answer that closes before sending anything was no success.
          if (sse && !read && !attempt.signal.aborted) ({ failures, failingSince } = streak);
          throw fault(`${url} closed the stream before its end`, {
            retryable: true,
            wait: reader.retry(),
          });
        }
      } catch (thrown) {
        if (signal.aborted) return;
        const why = attempt.signal.aborted ? attempt.signal.reason : undefined;
        if (why === GIVE_UP) return giveUp(last);
        const e: Failure = why === SILENT
          ? fault(silence(answered), { retryable: true })
          : thrown as Failure;
        if (opened && e.status !== undefined && FORGOTTEN.includes(e.status)) {
          end({ status: "lost", message: `${e.message}. ${FORGOTTEN_JOB}` });
          return;
        }
        if (e.retryable === false) return set("error", e);
        if (failures++ === 0) failingSince = now();
        if (maxRetries !== undefined && failures > maxRetries) return giveUp(e);
        if (now() - failingSince >= giveUpAfter) return giveUp(e);
        set("reconnecting", last = e);
        wait = e.wait ?? backoff(failures, sse ? reader.retry() : interval);
        // A wait that reaches the give-up time ends there, and so does the stream.
        const left = failingSince + giveUpAfter - now();
        if (wait >= left) {
          await sleep(left, signal);
          if (!signal.aborted) giveUp(e);
          return;
        }
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", stopped);
      }
      await sleep(wait, signal);
      if (signal.aborted) return;
    }
  };
}

/** Throws a TypeError unless `value` (the option `name`) is a positive number of ms. */
function positive(name: string, value: number): void {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`options.${name} must be a positive number of ms`);
  }
}

/** Waits `ms`, or until `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
