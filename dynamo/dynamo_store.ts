import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { QueuedStore } from "../server/queued_store.ts";
import type { ResultRead } from "../server/store.ts";
import { StoreCore } from "../server/store_core.ts";
import {
  documentClient,
  type DynamoClient,
  type DynamoStoreOptions,
  storeSettings,
} from "./client_options.ts";
import { DynamoStoreError } from "./errors.ts";
import { DynamoJobFeed } from "./job_feed.ts";
import { LeaseKeeper } from "./lease.ts";
import { type Context, requestCancel } from "./meta_items.ts";
import { readResult, writeResult } from "./result_items.ts";
import type { DynamoWriteJob } from "./write_job.ts";
import { DynamoWriteQueue } from "./write_queue.ts";

/**
 * A {@linkcode Store} in a DynamoDB table, for jobs that outlive the process
 * or are read from other processes: a `JobLogger` writes, and a handler in
 * any process (Deno, Node, Bun, Cloudflare Workers) reads.
 *
 * - **Writing never blocks the job:** `append()` queues in memory and a
 *   background loop writes chunk items 25 to a `BatchWriteItem`; failures are
 *   retried with jittered backoff and reported to `onError` (see `retry.ts`).
 * - **Liveness:** the writer renews a lease on the job's meta item every
 *   `leaseMs`; readers end the stream with `status: "lost"` once it is
 *   3 × `leaseMs` old. A job with no entry for `idleMs` is ended.
 * - **Shared reads:** in one process, every reader of a job is served by one
 *   polling loop (one `Query` per `pollMs` per job); readers in the writer's
 *   process are served from its memory. A missing chunk is reported as
 *   `missed`, never waited on for ever.
 * - **Outcome, result, cancel:** `close(jobId, outcome)` stores how the job
 *   ended; `setResult` stores a JSON value in its own items; `cancel` sets a
 *   flag the writer sees with its next lease renewal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { DynamoStore } from "@streamator/core/dynamo";
 *
 * await using store = new DynamoStore({ table: "my-logs-table", region: "us-east-1", ttlDays: 1 });
 * const logs = createLogHandler({ prefix: "/log", store });
 *
 * async function job(): Promise<string> {
 *   await using logger = new JobLogger({ store });
 *   logger.log("Starting…");
 *   logger.log("Done", "success");
 *   return logger.jobId;
 * } // close() resolves once every entry is in DynamoDB
 *
 * const jobId = await job();
 * const snapshot = await logs(new Request(`http://localhost/log/${jobId}`));
 * const { logs: entries, done } = await snapshot!.json();
 * assert.deepEqual(entries.map((e: { event: string }) => e.event), ["log", "log", "done"]);
 * assert.equal(done, true);
 * ```
 */
export class DynamoStore extends QueuedStore {
  /** The table the store reads and writes. */
  readonly table: string;
  /** Days until a stored item may expire. */
  readonly ttlDays: number;
  readonly #doc: DynamoDBDocumentClient;
  readonly #owned: boolean;
  readonly #ctx: Context;
  readonly #core: StoreCore<DynamoWriteJob, DynamoJobFeed>;

  /** A store on `options.table`; throws a `TypeError` naming a bad option. */
  constructor(options: DynamoStoreOptions) {
    const settings = storeSettings(options);
    const { client, owned } = documentClient(options, settings.requestTimeoutMs);
    const ctx: Context = { doc: client, settings };
    const queue = new DynamoWriteQueue(ctx);
    const core = new StoreCore({
      name: "DynamoStore",
      queue,
      lease: new LeaseKeeper(ctx, queue),
      feed: (jobId) =>
        new DynamoJobFeed(ctx, jobId, (meta) => {
          if (meta.cancel) queue.job(jobId)?.cancel();
        }),
      feedIntervalMs: settings.pollMs,
    });
    super(core);
    this.table = settings.table;
    this.ttlDays = settings.ttlDays;
    this.#doc = client;
    this.#owned = owned;
    this.#ctx = ctx;
    this.#core = core;
  }

  /** The document client the store sends its requests with. */
  get client(): DynamoClient {
    return this.#doc;
  }

  /** Stores the job's result (JSON text) in its own items; a later call replaces it. */
  async setResult(jobId: string, json: string): Promise<void> {
    await this.#core.beforeSetResult(jobId, json); // the meta item exists
    if (!(await writeResult(this.#ctx, jobId, json))) {
      throw new DynamoStoreError(
        `DynamoStore.setResult: table "${this.table}" has no job "${jobId}"`,
        { retryable: false },
      );
    }
  }

  /** The job's result and whether it ended; `undefined` for an unknown job. */
  async readResult(jobId: string): Promise<ResultRead | undefined> {
    return this.#core.resultOrLocal(jobId, await readResult(this.#ctx, jobId));
  }

  /**
   * Asks a job to stop: at once when this store writes it, else through the
   * cancel flag on its meta item, which the writer reads with its next lease
   * renewal (within `leaseMs`). `false` for an unknown job.
   */
  async cancel(jobId: string): Promise<boolean> {
    const job = this.#core.job(jobId);
    if (job !== undefined) {
      if (job.closed || job.closing) return true;
      job.cancel();
      if (!job.created) return true;
    }
    return await requestCancel(this.#ctx, jobId) || job !== undefined;
  }

  /** Calls `listener` once when a cancel is requested for a job this store writes. */
  onCancel(jobId: string, listener: () => void): () => void {
    return this.#core.onCancel(jobId, listener);
  }

  /**
   * Stops the background writer, the lease and the feeds: pending
   * `flush()`/`close()` promises reject and entries not stored yet are
   * dropped (reported to `onError`). Closes the client when the store made it.
   */
  dispose(): void {
    if (this.#core.dispose() && this.#owned) this.#doc.destroy();
  }
}
