import type { Outcome } from "./wire.ts";
import type { StreamOptions } from "./stream_response.ts";

export type { Outcome };

/**
 * What a store returns for a read: the encoded entries from a cursor on.
 *
 * Entry ids are consecutive: the first entry of `entries` has id
 * `next - entries.length`.
 */
export interface ReadResult {
  /** Each entry's JSON, one line each, in id order. */
  entries: string[];
  /**
   * The id of the entry after the last one returned: the cursor to read from
   * next. When `cursor` is past the job's last entry, a store that knows the
   * job's end returns that end here (less than `cursor`), so a reader can tell
   * a cursor past the end from one that is waiting for the next entry.
   */
  next: number;
  /** Whether the job has ended (closed or expired): no entry will follow `next`. */
  done: boolean;
  /** How many entries between the cursor and the first returned one are gone for good. */
  missed: number;
  /** How the job ended, once `done` (absent from stores that do not record it: `"ok"`). */
  outcome?: Outcome;
  /**
   * The job's newest progress entry (its JSON), when it is one of the
   * `missed` entries: a store that drops old entries may keep it, so a
   * reader that comes late still learns how far the job is. Optional.
   */
  progress?: string;
}

/**
 * A job's result as a store reads it back.
 */
export interface ResultRead {
  /** The result's JSON, once `setResult` stored one. */
  json: string | undefined;
  /** Whether the job has ended. */
  done: boolean;
}

/**
 * Where a {@linkcode JobLogger} puts its entries and where the handler reads
 * them back. {@linkcode MemoryStore} is the default; the DynamoDB store lives
 * behind its own subpath.
 *
 * Entries are numbered 0, 1, 2, ... per job. Writers call `create`, `append`
 * and `close`; readers call `read` and `wait` with their own cursor, so a store
 * keeps nothing per reader.
 *
 * @example A store that forwards to another one, counting appends
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobLogger, MemoryStore, type Store } from "@streamator/core";
 * const inner = new MemoryStore();
 * let appends = 0;
 * const counting: Store = {
 *   create: (jobId) => inner.create(jobId),
 *   append: (jobId, json) => {
 *     appends++;
 *     inner.append(jobId, json);
 *   },
 *   close: (jobId, outcome) => inner.close(jobId, outcome),
 *   read: (jobId, cursor) => inner.read(jobId, cursor),
 *   wait: (jobId, cursor, signal) => inner.wait(jobId, cursor, signal),
 * };
 * const logger = new JobLogger({ store: counting });
 * logger.log("one");
 * logger.log("two");
 * await logger.close();
 * assert.equal(appends, 2);
 * ```
 */
export interface Store {
  /** Starts a job with no entries. */
  create(jobId: string): void;
  /** Appends one entry's JSON. Synchronous and cheap; never throws for I/O. */
  append(jobId: string, json: string): void;
  /** Ends a job, with how it ended (default `{ status: "ok" }`); resolves once everything appended is stored. */
  close(jobId: string, outcome?: Outcome): Promise<void>;
  /** Resolves once everything appended so far is stored (for stores that write later). */
  flush?(jobId: string): Promise<void>;
  /**
   * The entries with ids from `cursor` on (at most `limit` of them), or
   * `undefined` when the store knows no such job.
   */
  read(jobId: string, cursor: number, limit?: number): Promise<ReadResult | undefined>;
  /**
   * Resolves when there may be something new for a reader at `cursor`: an
   * entry at or past it, the job's end, or the job being gone; also when
   * `signal` aborts. Resolving early is allowed; the reader reads again.
   */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void>;
  /**
   * The callback form of `wait`, for stores that can offer it without a
   * promise or a signal per call (the stream prefers it, so an idle
   * subscriber costs one callback): calls `listener` once when there may be
   * something new for a reader at `cursor` (as `wait` resolves), never
   * synchronously. Returns a function that stops watching. A store that ends
   * jobs lazily (idle jobs) checks for that each time `watch` is called; the
   * stream renews its watch on every heartbeat.
   */
  watch?(jobId: string, cursor: number, listener: () => void): () => void;
  /** Stores the job's result (JSON text); a later call replaces it. */
  setResult?(jobId: string, json: string): Promise<void>;
  /** The job's result, or `undefined` when the store knows no such job. */
  readResult?(jobId: string): Promise<ResultRead | undefined>;
  /**
   * Asks a job to stop, from any process that shares the store. Resolves
   * `false` for an unknown job; `true` once the request is recorded (also
   * for a job that has already ended, where it changes nothing).
   */
  cancel?(jobId: string): Promise<boolean>;
  /**
   * The writer's side of {@linkcode Store.cancel}: calls `listener` once
   * when a cancel is requested for the job. Returns a function that stops
   * watching.
   */
  onCancel?(jobId: string, listener: () => void): () => void;
  /**
   * For a store whose jobs live where they can be streamed from (a Durable
   * Object): answers a job's stream request there, with the same responses
   * as {@linkcode makeStreamResponse}, which then returns it as it is.
   * `options` are checked, with their defaults; `store` is not set.
   */
  streamResponse?(jobId: string, options: StreamOptions): Promise<Response>;
}
