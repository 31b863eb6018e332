/**
 * The writer of the DynamoDB store: `append()` queues in memory and one
 * background loop writes every job's queue in rounds (the table once, new
 * jobs' meta items, one `BatchWriteItem` of up to 25 chunk items, the
 * closes). A failed round is retried with backoff (see `retry.ts`); the
 * entries stay queued until they are stored or the store is disposed.
 *
 * @module
 */

import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Outcome } from "../server/store.ts";
import { cutChunks, fitting } from "./chunks.ts";
import { disposedError } from "./client_options.ts";
import { ensureTable } from "./ensure_table.ts";
import { DynamoStoreError, explain } from "./errors.ts";
import { type ChunkItem, HASH_KEY, RANGE_KEY, TTL_ATTRIBUTE } from "./key_schema.ts";
import { type Context, markDone, putMeta } from "./meta_items.ts";
import { Outage, unprocessedError, unrefTimer } from "./retry.ts";
import { DynamoWriteJob } from "./write_job.ts";
import { WriteQueue } from "../server/write_queue.ts";

/** Items per BatchWriteItem: DynamoDB's limit. */
const BATCH_ITEMS = 25;

/**
 * The jobs a store writes and the loop that stores them.
 */
export class DynamoWriteQueue extends WriteQueue<DynamoWriteJob, DynamoStoreError> {
  readonly #ctx: Context;
  readonly #outage = new Outage();
  #tableReady = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(ctx: Context) {
    super("DynamoStore", ctx.settings);
    this.#ctx = ctx;
  }

  override flush(jobId: string): Promise<void> {
    return this.disposed ? disposedError() : super.flush(jobId);
  }

  override close(jobId: string, outcome: Outcome): Promise<void> {
    return this.disposed ? disposedError() : super.close(jobId, outcome);
  }

  protected newJob(jobId: string): DynamoWriteJob {
    return new DynamoWriteJob(jobId);
  }

  protected add(job: DynamoWriteJob, json: string): void {
    job.add(fitting(json, this.#ctx.settings.report));
  }

  protected kick(): void {
    this.#kick();
  }

  protected stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  protected disposedWith(unstored: number): DynamoStoreError {
    return new DynamoStoreError(
      `DynamoStore: disposed with ${unstored} entries not stored in table ` +
        `"${this.#ctx.settings.table}"`,
      { retryable: false },
    );
  }

  protected override until(
    job: DynamoWriteJob,
    ready: (job: DynamoWriteJob) => boolean,
  ): Promise<void> {
    if (ready(job)) return Promise.resolve();
    const reached = job.until(ready);
    this.#kick();
    return reached;
  }

  /** Schedules a write round unless one is running or scheduled. */
  #kick(delay = this.#ctx.settings.batchMs): void {
    if (this.disposed || this.#running || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, delay);
    if (this.#outage.longerThan(this.#ctx.settings.failAfterMs, Date.now())) {
      unrefTimer(this.#timer); // past the limit: retry, but do not hold a finished program open
    }
  }

  async #run(): Promise<void> {
    this.#running = true;
    let again = false;
    try {
      again = await this.#round();
      this.#outage.succeeded();
    } catch (error) {
      this.#failed(explain(error, this.#ctx.settings.table, "write"));
    } finally {
      this.#running = false;
    }
    if (this.disposed || !this.#hasWork()) return;
    this.#kick(
      again && this.#outage.failures === 0 ? 0 : this.#outage.delay(this.#ctx.settings.batchMs),
    );
  }

  #hasWork(): boolean {
    for (const job of this.jobs.values()) {
      if (job.closed) continue;
      if (!job.created || job.pending.length > 0 || job.outbox.length > 0 || job.closing) {
        return true;
      }
    }
    return false;
  }

  /** One round: table, new jobs' meta items, one batch of chunks, closes. True when the batch was full. */
  async #round(): Promise<boolean> {
    const { settings } = this.#ctx;
    if (!this.#tableReady) {
      const { ttlWarning } = await ensureTable(this.#ctx.doc, settings.table, settings.createTable);
      if (ttlWarning !== undefined) console.warn(`streamator: ${ttlWarning}`);
      this.#tableReady = true;
    }
    const open = [...this.jobs.values()].filter((job) => !job.closed);
    await all(open.filter((job) => !job.created).map((job) => this.#putMeta(job)));

    const batch: ChunkItem[] = [];
    for (const job of this.jobs.values()) {
      if (!job.created || job.closed) continue;
      if (job.pending.length > 0) {
        job.outbox.push(...cutChunks(job.jobId, job.pendingFrom, job.pending));
        job.pendingFrom += job.pending.length;
        job.pending = [];
      }
      for (const item of job.outbox) {
        if (batch.length === BATCH_ITEMS) break;
        batch.push(item);
      }
    }
    if (batch.length > 0) await this.#writeBatch(batch);

    const closing = [...this.jobs.values()].filter((job) =>
      job.closing && !job.closed && job.created && job.pending.length === 0 &&
      job.outbox.length === 0
    );
    await all(closing.map((job) => this.#markDone(job)));
    return batch.length === BATCH_ITEMS;
  }

  async #putMeta(job: DynamoWriteJob): Promise<void> {
    if (await putMeta(this.#ctx, job.jobId, job.writer)) {
      job.created = true;
      job.settle();
      return;
    }
    const error = new DynamoStoreError(
      `DynamoStore: job "${job.jobId}" already exists in table "${this.#ctx.settings.table}", ` +
        `written by another logger; its entries here are dropped (job ids must be unique)`,
      { retryable: false },
    );
    this.refuse(job, error);
  }

  async #writeBatch(batch: ChunkItem[]): Promise<void> {
    const { table } = this.#ctx.settings;
    const expiresAt = this.#ctx.settings.expiresAt();
    let output;
    try {
      output = await this.#ctx.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: batch.map((item) => ({
              PutRequest: { Item: { ...item, [TTL_ATTRIBUTE]: expiresAt } },
            })),
          },
        }),
      );
    } catch (error) {
      throw explain(error, table, "BatchWriteItem");
    }
    const unprocessed = new Set(
      (output.UnprocessedItems?.[table] ?? []).map((request) => {
        const item = request.PutRequest?.Item ?? {};
        return `${item[HASH_KEY]}\n${item[RANGE_KEY]}`;
      }),
    );
    const done = new Set(batch.filter((item) => !unprocessed.has(`${item.jobId}\n${item.seq}`)));
    for (const job of this.jobs.values()) {
      const before = job.outbox.length;
      job.outbox = job.outbox.filter((item) => !done.has(item));
      if (job.outbox.length !== before) job.settle();
    }
    if (unprocessed.size > 0) throw unprocessedError(unprocessed.size, batch.length);
  }

  async #markDone(job: DynamoWriteJob): Promise<void> {
    await markDone(this.#ctx, job.jobId, job.writer, job.next, job.outcome);
    job.closed = true;
    job.closedAt = Date.now();
    job.settle();
  }

  #failed(error: DynamoStoreError): void {
    const now = Date.now();
    const first = this.#outage.failed(now);
    this.failed(error, now, first, !error.retryable);
  }
}

/** Waits for every promise (none left in flight), then throws the first failure, if any. */
async function all(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}
