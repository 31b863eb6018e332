import { isJobId, newJobId } from "./job_id.ts";
import type { DoneEvent, Level, MissedEvent, ProgressEvent } from "./wire.ts";
import { safeJson } from "./safe_json.ts";
import { closingOutcome, thrownOutcome } from "./outcome.ts";
import type { Outcome, Store } from "./store.ts";
import { type JobLoggerOptions, resolveStore } from "./job_logger_options.ts";
import { checkEmitArgs, checkLogArgs } from "./entry_args.ts";
import { CancelWatch } from "./cancel_watch.ts";
import { ResultWrites } from "./result_writes.ts";
import { checkProgressArgs, ProgressCoalescer } from "./progress.ts";

/**
 * Logs the progress of one long-running job. Entries go to a store, from
 * which the handler streams them to browsers (SSE) or serves them to pollers.
 *
 * Each entry is `{ event: "log", message, level, t }`, where `t` is the
 * seconds since the logger was created (monotonic clock, millisecond
 * precision), taken when `log()` is called.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultStore, JobLogger } from "@streamator/core";
 *
 * const logger = new JobLogger();
 * logger.log("Scraping https://example.com");
 * logger.emit("page_loaded", { url: "https://example.com" });
 * logger.log("Done", "success");
 * await logger.close();
 * // Hand logger.jobId to the browser; it reads GET /log/{jobId}/stream.
 * const { entries, done } = (await defaultStore.read(logger.jobId, 0))!;
 * assert.deepEqual(entries.map((entry) => JSON.parse(entry).event), ["log", "page_loaded", "log"]);
 * assert.equal(done, true);
 * ```
 *
 * @example Closed at scope exit, also when the job throws (to record the error, see `run()`)
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultStore, JobLogger } from "@streamator/core";
 * let jobId = "";
 * {
 *   await using logger = new JobLogger();
 *   jobId = logger.jobId;
 *   logger.log("working…");
 * } // closed here
 * assert.equal(defaultStore.stats(jobId)?.done, true);
 * ```
 *
 * @example A whole job: its outcome, its result, and cancel through `signal`
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger } from "@streamator/core";
 * const logger = new JobLogger();
 * // Resolves to { status: "ok" }, "error" (with the message of what it threw) or "cancelled".
 * const outcome = await logger.run(async (log) => {
 *   log.log("Fetching…");
 *   const response = await fetch("data:text/plain,hello", { signal: log.signal });
 *   return { text: await response.text() }; // the job's result
 * });
 * assert.deepEqual(outcome, { status: "ok" });
 * ```
 */
export class JobLogger implements Disposable, AsyncDisposable {
  /** The job's id: pass it to the browser to connect. */
  readonly jobId: string;
  /** `performance.now()` at creation, in ms: the zero of every entry's `t`. */
  readonly startT: number;
  /** Where this logger's entries go. */
  readonly store: Store;
  #closing: Promise<void> | undefined;
  #outcome: Outcome | undefined;
  #warned = false;
  readonly #cancel: CancelWatch;
  /** close() waits for the result writes under way, so a reader never sees the end first. */
  readonly #results: ResultWrites;
  /** Progress values waiting for their turn; written before any later entry. */
  readonly #progress: ProgressCoalescer;

  /** Starts a job in the store; bad options are TypeErrors naming the option. */
  constructor(options: JobLoggerOptions = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("JobLogger: options must be an object");
    }
    const { jobId = newJobId() } = options;
    if (!isJobId(jobId)) {
      throw new TypeError("JobLogger: options.jobId must be 1 to 128 of A-Z a-z 0-9 _ -");
    }
    this.jobId = jobId;
    this.store = resolveStore(options);
    this.startT = performance.now();
    this.store.create(jobId);
    this.#cancel = new CancelWatch(this.store, jobId);
    this.#results = new ResultWrites(this.store, jobId);
    this.#progress = new ProgressCoalescer((json) => this.store.append(jobId, json));
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Aborted when someone cancels the job (`POST {prefix}/{jobId}/cancel`, or
   * `store.cancel`). Pass it to `fetch` and check it in loops; its `reason`
   * is an `AbortError`. Never aborts with a store that has no `onCancel`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * for (let page = 1; page <= 3 && !logger.signal.aborted; page++) {
   *   await fetch(`data:text/plain,page ${page}`, { signal: logger.signal });
   * }
   * await logger.close(); // "cancelled" if a cancel came, else "ok"
   * assert.equal(logger.cancelled, false);
   * ```
   */
  get signal(): AbortSignal {
    return this.#cancel.signal;
  }

  /** Whether a cancel has been requested (`signal.aborted`). */
  get cancelled(): boolean {
    return this.#cancel.signal.aborted;
  }

  /** How the job ended, once `close()` (or `fail()`, `run()`) recorded it; else `undefined`. */
  get outcome(): Outcome | undefined {
    return this.#outcome;
  }

  /**
   * Appends a log line. `level` is `"info"` (default), `"success"`,
   * `"warning"` or `"error"`. Ignored, with one warning, after `close()`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { defaultStore, JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * logger.log("Rate limited", "warning");
   * const { entries } = (await defaultStore.read(logger.jobId, 0))!;
   * assert.equal(JSON.parse(entries[0]).level, "warning");
   * ```
   */
  log(message: string, level: Level = "info"): void {
    checkLogArgs(message, level);
    if (this.#ignoring()) return;
    this.#progress.flush();
    // One JSON.stringify of the whole entry gives one flat string: pieces joined with a template
    // would be kept as a rope of them, about twice the entry's length in memory.
    this.store.append(
      this.jobId,
      JSON.stringify({ event: "log", message, level, t: this.#t() }),
    );
  }

  /**
   * Appends a structured event `{ event, ...fields, t }`, for the browser's
   * `makeFormatEvent` to label. Fields JSON cannot encode are encoded safely
   * (see {@linkcode safeJson}). `"done"` and `"missed"` are reserved: the
   * types refuse them when written as literals, and a `TypeError` refuses them
   * at run time.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { defaultStore, JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * logger.emit("retry", { attempt: 2 });
   * const { entries } = (await defaultStore.read(logger.jobId, 0))!;
   * const { event, attempt } = JSON.parse(entries[0]);
   * assert.deepEqual([event, attempt], ["retry", 2]);
   * ```
   */
  emit<E extends string>(
    event: E extends DoneEvent["event"] | MissedEvent["event"] | ProgressEvent["event"] ? never
      : E,
    fields: Record<string, unknown> = {},
  ): void {
    checkEmitArgs(event, fields);
    if (this.#ignoring()) return;
    this.#progress.flush();
    const entry: Record<string, unknown> = { event, ...fields };
    entry.event = event;
    entry.t = this.#t();
    this.store.append(this.jobId, safeJson(entry));
  }

  /**
   * Reports how far the job is: `done` of `total` (leave `total` out when it
   * is unknown), counting `label` (e.g. `"pages"`). Appends
   * `{ event: "progress", done, total, label, t }`, which the panels show as
   * a progress bar. Call it as often as you like: at most one entry is
   * written per 250 ms, with the newest value, and the newest value is
   * always written before the next log line and before `close()`. A bad
   * argument is a TypeError naming it. Ignored, with one warning, after
   * `close()`.
   *
   * @example
   * ```ts
   * import { JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * const pages = ["a", "b", "c"];
   * for (let i = 0; i < pages.length; i++) {
   *   logger.progress(i, pages.length, "pages");
   *   await fetch(`data:text/plain,${pages[i]}`);
   * }
   * logger.progress(pages.length, pages.length, "pages");
   * await logger.close();
   * ```
   */
  progress(done: number, total?: number, label?: string): void {
    checkProgressArgs(done, total, label);
    if (this.#ignoring()) return;
    this.#progress.set(done, total, label, this.#t());
  }

  /**
   * Resolves once every entry so far is stored (immediate for the memory
   * store; the DynamoDB store writes in the background). A progress value
   * still waiting for its turn is written first.
   */
  flush(): Promise<void> {
    if (!this.closed) this.#progress.flush();
    return this.store.flush?.(this.jobId) ?? Promise.resolve();
  }

  /**
   * Stores the job's result: any JSON value, read back with
   * `GET {prefix}/{jobId}/result` (as many times as wanted, until the job's
   * retention ends). A later call replaces it. `close()` waits for it, so a
   * reader that sees the end can read the result. Rejects with a TypeError
   * for a value JSON cannot encode, and after `close()`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { JobLogger, makeResultResponse } from "@streamator/core";
   * const logger = new JobLogger();
   * await logger.setResult({ pages: 12, summary: "4 of 5 editions summarised" });
   * await logger.close();
   * const response = await makeResultResponse(logger.jobId);
   * assert.deepEqual(await response.json(), { pages: 12, summary: "4 of 5 editions summarised" });
   * ```
   */
  setResult(value: unknown): Promise<void> {
    return this.#results.set(value, this.closed);
  }

  /**
   * Ends the job: every reader receives the remaining entries, then the end,
   * with `outcome` (default `{ status: "ok" }`; `"cancelled"` when a cancel
   * was requested and the job does not report an error). Idempotent: the
   * first call decides the outcome, later calls return the same promise.
   * Resolves once everything is stored.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { defaultStore, JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * await logger.close({ status: "error", message: "quota exceeded" });
   * const { done, outcome } = (await defaultStore.read(logger.jobId, 0))!;
   * assert.equal(done, true);
   * assert.deepEqual(outcome, { status: "error", message: "quota exceeded" });
   * ```
   */
  close(outcome?: Outcome): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const final = closingOutcome(outcome, this.cancelled, "JobLogger.close");
    this.#outcome = final;
    this.#cancel.stop();
    this.#progress.flush();
    // At once when no result is being written: a `using` block's end closes synchronously.
    this.#closing = this.#results.afterWrites(() => this.store.close(this.jobId, final));
    return this.#closing;
  }

  /**
   * Ends the job with `{ status: "error", message }`, the message of what
   * it threw (never its stack), or `"cancelled"` when `error` is how a
   * cancel stopped it (an `AbortError` after a cancel). For a `catch` block.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { defaultStore, JobLogger } from "@streamator/core";
   * await using logger = new JobLogger();
   * try {
   *   throw new Error("quota exceeded");
   * } catch (error) {
   *   await logger.fail(error); // the end carries "error" and "quota exceeded"
   * }
   * const { outcome } = (await defaultStore.read(logger.jobId, 0))!;
   * assert.deepEqual(outcome, { status: "error", message: "quota exceeded" });
   * ```
   */
  fail(error: unknown): Promise<void> {
    return this.close(thrownOutcome(error, this.signal));
  }

  /**
   * Runs the job and closes the logger with how it went: `"ok"`, `"error"`
   * with the message of what it threw (never its stack), or `"cancelled"`.
   * A value the job returns (other than `undefined`) becomes its result, as
   * with `setResult`. Takes a function of the logger, or a promise already
   * under way. Resolves to the outcome once stored; rejects only if the store
   * fails to record the end. This is the way to record a thrown error:
   * `await using` closes the logger but the language does not tell a
   * disposer what was thrown, so on its own it records `"ok"`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * const ended = logger.run(async (log) => {
   *   log.log("Working…");
   *   return { pages: 3 };
   * }); // not awaited: the job runs on while the response goes out
   * assert.deepEqual(await ended, { status: "ok" });
   * ```
   */
  async run(job: ((logger: this) => unknown) | PromiseLike<unknown>): Promise<Outcome> {
    try {
      const value = await (typeof job === "function" ? job(this) : job);
      if (value !== undefined && this.#closing === undefined) await this.setResult(value);
      await this.close();
    } catch (error) {
      await this.fail(error);
    }
    return this.#outcome!;
  }

  /** Closes the logger at the end of a `using` block (`"ok"`, or `"cancelled"` after a cancel). */
  [Symbol.dispose](): void {
    this.close().catch(() => {});
  }

  /**
   * Closes the logger at the end of an `await using` block, waiting until
   * stored. The language passes a disposer nothing about an exception, so
   * this records `"ok"` (or `"cancelled"`); use `run()` or `fail()` to
   * record an error.
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #t(): number {
    return Math.round(performance.now() - this.startT) / 1000;
  }

  #ignoring(): boolean {
    if (this.#closing === undefined) return false;
    if (!this.#warned) {
      this.#warned = true;
      console.warn(
        `streamator: job ${this.jobId} is closed; log(), emit() and progress() after close() are ignored`,
      );
    }
    return true;
  }
}
