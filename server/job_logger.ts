import { isJobId, newJobId } from "./job_id.ts";
import { type DONE, isLevel, type Level, LEVELS, type MISSED, RESERVED_EVENTS } from "./wire.ts";
import { defaultStore } from "./default_store.ts";
import { safeJson } from "./safe_json.ts";
import type { Store } from "./store.ts";
import { type NamedStoreOptions, storeFactory } from "./store_registry.ts";

/**
 * Options of {@linkcode JobLogger}: where entries go, and the job's id.
 *
 * `store` is `"memory"` (the default, {@linkcode defaultStore}), a store
 * instance, or the name of a registered store such as `"dynamo"` (after
 * `import "@streamator/core/dynamo"`), which reads `table` and `ttlDays`.
 */
export interface JobLoggerOptions extends NamedStoreOptions {
  /** `"memory"` (default), a registered name such as `"dynamo"`, or a {@linkcode Store}. */
  store?: string | Store;
  /** The job's id; default a random UUID. 1 to 128 of `A-Z a-z 0-9 _ -`. */
  jobId?: string;
}

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
 * import { JobLogger } from "@streamator/core";
 *
 * const logger = new JobLogger();
 * logger.log("Scraping https://example.com");
 * logger.emit("page_loaded", { url: "https://example.com" });
 * logger.log("Done", "success");
 * await logger.close();
 * // Hand logger.jobId to the browser; it reads GET /log/{jobId}/stream.
 * ```
 *
 * @example Closed at scope exit, also when the job throws
 * ```ts
 * import { JobLogger } from "@streamator/core";
 * {
 *   await using logger = new JobLogger();
 *   logger.log("working…");
 * } // closed here
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
  #warned = false;

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
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Appends a log line. `level` is `"info"` (default), `"success"`,
   * `"warning"` or `"error"`. Ignored, with one warning, after `close()`.
   *
   * @example
   * ```ts
   * import { JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * logger.log("Rate limited", "warning");
   * ```
   */
  log(message: string, level: Level = "info"): void {
    if (typeof message !== "string") {
      throw new TypeError(`JobLogger.log: message must be a string, got ${typeName(message)}`);
    }
    if (!isLevel(level)) {
      throw new TypeError(
        `JobLogger.log: level must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")}; got ${
          describe(level)
        }`,
      );
    }
    if (this.#ignoring()) return;
    this.store.append(
      this.jobId,
      `{"event":"log","message":${JSON.stringify(message)},"level":"${level}","t":${this.#t()}}`,
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
   * import { JobLogger } from "@streamator/core";
   * const logger = new JobLogger();
   * logger.emit("retry", { attempt: 2 });
   * ```
   */
  emit<E extends string>(
    event: E extends typeof DONE | typeof MISSED ? never : E,
    fields: Record<string, unknown> = {},
  ): void {
    if (typeof event !== "string" || event === "") {
      throw new TypeError(
        `JobLogger.emit: event must be a non-empty string, got ${describe(event)}`,
      );
    }
    if (RESERVED_EVENTS.includes(event)) {
      throw new TypeError(
        `JobLogger.emit: event "${event}" is reserved by the stream (${
          RESERVED_EVENTS.join(", ")
        }); use close() to end it`,
      );
    }
    if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
      throw new TypeError(`JobLogger.emit: fields must be an object, got ${typeName(fields)}`);
    }
    if (this.#ignoring()) return;
    const entry: Record<string, unknown> = { event, ...fields };
    entry.event = event;
    entry.t = this.#t();
    this.store.append(this.jobId, safeJson(entry));
  }

  /**
   * Resolves once every entry so far is stored (immediate for the memory
   * store; the DynamoDB store writes in the background).
   */
  flush(): Promise<void> {
    return this.store.flush?.(this.jobId) ?? Promise.resolve();
  }

  /**
   * Ends the job: every reader receives the remaining entries, then the end.
   * Idempotent: later calls return the same promise. Resolves once everything
   * is stored.
   */
  close(): Promise<void> {
    this.#closing ??= this.store.close(this.jobId);
    return this.#closing;
  }

  /** Closes the logger at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close().catch(() => {});
  }

  /** Closes the logger at the end of an `await using` block, waiting until stored. */
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
        `streamator: job ${this.jobId} is closed; log() and emit() after close() are ignored`,
      );
    }
    return true;
  }
}

function resolveStore(options: JobLoggerOptions): Store {
  const { store = "memory" } = options;
  if (store === "memory") return defaultStore;
  if (typeof store === "string") {
    const factory = storeFactory(store);
    if (factory === undefined) {
      throw new TypeError(
        store === "dynamo"
          ? 'JobLogger: store "dynamo" needs the DynamoDB store: import "@streamator/core/dynamo" first'
          : `JobLogger: options.store must be "memory", "dynamo", a registered name or a Store; got "${store}"`,
      );
    }
    return factory({ table: options.table, ttlDays: options.ttlDays });
  }
  if (
    store !== null && typeof store === "object" &&
    typeof store.append === "function" && typeof store.read === "function"
  ) {
    return store;
  }
  throw new TypeError(
    `JobLogger: options.store must be "memory", "dynamo", a registered name or a Store; got ${
      typeName(store)
    }`,
  );
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeName(value);
}
