/**
 * The requests a {@linkcode durableObjectStore} sends to a job's Durable
 * Object, and the answers, in one place for both sides. Every request is
 * `fetch("https://job-log/<route>?job=<jobId>...")` on the object's stub.
 */
import type { Outcome } from "../server/store.ts";

/** The host of every request to the object; the object looks only at the path and query. */
export const ORIGIN = "https://job-log";

/** The object's routes. */
export const ROUTE = {
  /** POST {@linkcode WriteBody}: entries, and the job's start or end. Answers {@linkcode WriteAnswer}. */
  write: "/write",
  /** GET `?cursor=&limit=&waitMs=`: a `ReadResult`, held up to `waitMs` until there is news. 404 for no job. */
  read: "/read",
  /** GET `?lastEventId=&heartbeatMs=&retryMs=`: the job's SSE stream, as `makeStreamResponse` answers. */
  stream: "/stream",
  /**
   * POST `?waitMs=[&heard=1]`: renews the writer's lease, held up to `waitMs` until a cancel the
   * writer has not heard of (`heard=1`: it has) or the job's end. Answers {@linkcode WriteAnswer}.
   */
  lease: "/lease",
  /** PUT the result's JSON (204, 404 for no job); GET it back as `ResultRead` (404 for no job). */
  result: "/result",
  /** GET: `{ "waiting": N }`, the streams and reads waiting at the object for its next write. */
  stats: "/stats",
  /** POST: asks the job to stop. Answers `{ "known": boolean }`. */
  cancel: "/cancel",
} as const;

/** The writer's settings for a job, sent when it starts the job. */
export interface JobSettings {
  /** The writer's lease, in ms: with no word from the writer for this long, the job ends `"lost"`. */
  leaseMs: number;
  /** How long the job's storage is kept after it ends, in ms. */
  retentionMs: number;
  /** Entries kept; past it the oldest are dropped (readers behind them get `missed`). */
  maxEntries: number;
}

/** One write: a batch of entries, numbered from `first`, maybe with the job's start and end. */
export interface WriteBody {
  /** Present on the first write of a job: starts it (a job that exists is kept as it is). */
  create?: JobSettings;
  /**
   * The writer's own id, the same in each of its writes. A first write (with
   * `create`) from a writer the job has not seen, while the job runs (a
   * retried Queue message, a retried Workflow step), makes it the job's
   * writer: its entries follow the job's, numbered from its `first` on top of
   * the job's next id. The writer it replaced gets 409 from then on, and so
   * does a new writer of a job that has ended.
   */
  writer?: string;
  /** The id of `entries[0]`; entries the object already has are skipped, so a retry adds nothing twice. */
  first: number;
  entries: string[];
  /** Present on the last write: ends the job with this outcome. */
  close?: Outcome;
}

/** The object's answer to a write or a lease renewal. */
export interface WriteAnswer {
  /** Whether the object has the job (`false`: never started, or its retention is over). */
  known: boolean;
  /** The id the job's next entry gets. */
  next: number;
  /** Whether the job has ended: the writer stops. */
  done: boolean;
  /** Whether a cancel was requested. */
  cancel: boolean;
}

/** The status the object answers a write whose `first` is past its next id with. */
export const GAP_STATUS = 409;
