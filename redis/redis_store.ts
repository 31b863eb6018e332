import { QueuedStore } from "../server/queued_store.ts";
import type { ReadResult, ResultRead } from "../server/store.ts";
import { StoreCore } from "../server/store_core.ts";
import { openConnection, type RedisClientLike } from "./connection.ts";
import { type Context, makeContext, scriptKeys } from "./context.ts";
import { RedisJobFeed } from "./job_feed.ts";
import { LeaseKeeper, unrefTimer } from "./lease.ts";
import { redisSettings, type RedisStoreOptions } from "./options.ts";
import { CANCEL, SET_RESULT } from "./scripts.ts";
import { Subscriber } from "./subscriber.ts";
import { RedisStoreError } from "./errors.ts";
import type { RedisWriteJob } from "./write_job.ts";
import { RedisWriteQueue } from "./write_queue.ts";

/**
 * A {@linkcode Store} in Redis, for jobs that outlive the process or are
 * read from other processes: a `JobLogger` writes in a worker, and a handler
 * in any process streams the log, pushed by pub/sub.
 *
 * - **Writing never blocks the job:** `append()` queues in memory; each job
 *   sends its queue in batches, one Lua script per batch (append with
 *   explicit ids, trim to `maxEntries`, refresh the expiry of every key,
 *   renew the lease, publish the new end). While Redis is unreachable the
 *   entries stay queued (at most `maxUnstored` per job) and are retried.
 * - **Shared reads:** in one process, one subscriber connection serves every
 *   job, and each job has one feed: a message starts at most one read in
 *   flight, which serves every reader of the job. Readers in the writer's
 *   process are served from its memory. Every `leaseMs`, and right after the
 *   subscriber reconnects, feeds with waiting readers re-check Redis.
 * - **Liveness:** a writer that stops renewing its lease (SIGKILL, lost
 *   connection) ends its readers' streams with `status: "lost"` within about
 *   3 × `leaseMs`; a job whose keys are gone (expired, evicted, Redis
 *   restarted empty) ends them the same way. Trimmed entries are `missed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { RedisStore } from "@streamator/core/redis";
 *
 * await using store = new RedisStore({ url: Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379" });
 * const logs = createLogHandler({ prefix: "/log", store });
 *
 * async function job(): Promise<string> {
 *   await using logger = new JobLogger({ store });
 *   logger.log("Starting…");
 *   logger.log("Done", "success");
 *   return logger.jobId;
 * } // close() resolves once every entry is in Redis
 *
 * const jobId = await job();
 * const snapshot = await logs(new Request(`http://localhost/log/${jobId}`));
 * const { logs: entries, done } = await snapshot!.json();
 * assert.deepEqual(entries.map((e: { event: string }) => e.event), ["log", "log", "done"]);
 * assert.equal(done, true);
 * ```
 */
export class RedisStore extends QueuedStore {
  /** The start of every key this store writes. */
  readonly prefix: string;
  readonly #ctx: Context;
  readonly #subscriber: Subscriber;
  readonly #core: StoreCore<RedisWriteJob, RedisJobFeed>;
  #safetyNet: ReturnType<typeof setInterval> | undefined;

  /** A store on `options.url` or `options.client`; throws a `TypeError` naming a bad option. */
  constructor(options: RedisStoreOptions) {
    const settings = redisSettings(options);
    const target: { client: RedisClientLike } | { url: string } = options.client !== undefined
      ? { client: options.client }
      : { url: options.url! };
    const conn = openConnection(target, settings.report);
    const ctx = makeContext(conn, settings);
    const queue = new RedisWriteQueue(ctx);
    const subscriber = new Subscriber(conn, () => this.#recheck(), settings.report);
    const core = new StoreCore({
      name: "RedisStore",
      queue,
      lease: new LeaseKeeper(ctx, queue),
      feed: (jobId) => new RedisJobFeed(ctx, subscriber, jobId),
      feedIntervalMs: settings.leaseMs,
      onFeedWait: () => this.#startSafetyNet(),
    });
    super(core);
    this.prefix = settings.prefix;
    this.#ctx = ctx;
    this.#subscriber = subscriber;
    this.#core = core;
  }

  /**
   * The entries of a job from `cursor` on (at most `limit`): from this
   * process's writer when it holds them, else from the job's shared feed;
   * `undefined` when Redis has no such job. Rejects when Redis cannot be read
   * or the store is disposed.
   */
  override read(jobId: string, cursor: number, limit = Infinity): Promise<ReadResult | undefined> {
    // Disposing forgets the jobs written here: every read would go to Redis.
    if (this.disposed) {
      return Promise.reject(new RedisStoreError("RedisStore: the store is disposed"));
    }
    return super.read(jobId, cursor, limit);
  }

  /** Stores the job's result (JSON text) in its meta hash; a later call replaces it. */
  async setResult(jobId: string, json: string): Promise<void> {
    await this.#core.beforeSetResult(jobId, json); // the meta hash exists
    const keys = scriptKeys(this.#ctx.keys(jobId));
    if (await this.#ctx.conn.script<number>(SET_RESULT, keys, [json]) !== 1) {
      throw new RedisStoreError(`RedisStore.setResult: Redis has no job "${jobId}"`);
    }
  }

  /** The job's result and whether it ended; `undefined` for an unknown job. */
  async readResult(jobId: string): Promise<ResultRead | undefined> {
    const { meta } = this.#ctx.keys(jobId);
    const [next, done, result] = await this.#ctx.conn.send<(string | null)[]>(
      ["HMGET", meta, "next", "done", "result"],
      meta,
    );
    const stored = next === null ? undefined : { json: result ?? undefined, done: done !== null };
    return this.#core.resultOrLocal(jobId, stored);
  }

  /**
   * Asks a job to stop: at once when this store writes it, else through a
   * flag on its meta hash and a message the writer's process receives at once
   * (its lease renewal reads the flag too). `false` for an unknown job.
   */
  async cancel(jobId: string): Promise<boolean> {
    const job = this.#core.job(jobId);
    if (job !== undefined) {
      if (!job.closed && !job.closing) job.cancel();
      return true;
    }
    const keys = this.#ctx.keys(jobId);
    const reply = await this.#ctx.conn.script<number>(CANCEL, scriptKeys(keys), [
      this.#ctx.publish,
      keys.channel,
    ]);
    return reply === 1;
  }

  /** Calls `listener` once when a cancel is requested for a job this store writes. */
  onCancel(jobId: string, listener: () => void): () => void {
    // A cancel from another process comes as a message on the job's channel.
    return this.#core.onCancel(
      jobId,
      listener,
      (job) =>
        this.#subscriber.listen(this.#ctx.keys(jobId).channel, (message) => {
          if (message === "cancel") job.cancel();
        }).stop,
    );
  }

  /**
   * Stops the writer, the lease, the feeds and the subscriber: pending
   * `flush()`/`close()` promises reject and entries not stored yet are
   * dropped (reported to `onError`). Closes the connections the store opened
   * (never a client given in `options.client`).
   */
  dispose(): void {
    if (!this.#core.dispose()) return;
    clearInterval(this.#safetyNet);
    this.#subscriber.close();
    this.#ctx.conn.close();
  }

  /** Feeds with waiting readers read Redis again. */
  #recheck(): void {
    for (const feed of this.#core.feeds) if (feed.busy) feed.news();
  }

  /** Every `leaseMs`, while readers wait, a lost message costs at most that long. */
  #startSafetyNet(): void {
    if (this.#safetyNet !== undefined || this.#core.disposed) return;
    this.#safetyNet = setInterval(() => {
      this.#recheck();
      if (![...this.#core.feeds].some((feed) => feed.busy)) {
        clearInterval(this.#safetyNet);
        this.#safetyNet = undefined;
      }
    }, this.#ctx.settings.leaseMs);
    unrefTimer(this.#safetyNet);
  }
}
