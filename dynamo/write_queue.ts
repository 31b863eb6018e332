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
import { forgetClosed } from "../server/write_job.ts";

/** Items per BatchWriteItem: DynamoDB's limit. */
const BATCH_ITEMS = 25;

/**
 * The jobs a store writes and the loop that stores them.
 */
export class WriteQueue {
  readonly jobs: Map<string, DynamoWriteJob> = new Map();
  readonly #ctx: Context;
  readonly #outage = new Outage();
  #tableReady = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #disposed = false;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  /** Entries appended but not stored yet, over all jobs. */
  get unstored(): number {
    let count = 0;
    for (const job of this.jobs.values()) {
      count += job.pending.length;
      for (const item of job.outbox) if (item.part === undefined) count += item.e.length;
    }
    return count;
  }

  /** The open job `jobId` this store writes (closed ones too, for a while). */
  job(jobId: string): DynamoWriteJob | undefined {
    return this.jobs.get(jobId);
  }

  create(jobId: string): void {
    if (this.#disposed) throw new Error("DynamoStore: the store is disposed");
    forgetClosed(this.jobs);
    // A closed job kept for readers gives way: a logger reusing its id is then refused.
    if (this.jobs.get(jobId)?.closed === false) return;
    this.jobs.set(jobId, new DynamoWriteJob(jobId));
    this.#kick();
  }

  append(jobId: string, json: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined || job.closing || this.#disposed) return;
    job.add(fitting(json, this.#ctx.settings.report));
    this.#kick();
  }

  flush(jobId: string): Promise<void> {
    if (this.#disposed) return disposedError();
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    const target = job.next;
    return this.#waitFor(job, (j) => j.created && j.stored >= target);
  }

  close(jobId: string, outcome: Outcome): Promise<void> {
    if (this.#disposed) return disposedError();
    const job = this.jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    if (!job.closing) {
      job.closing = true;
      job.outcome = outcome;
    }
    return this.#waitFor(job, (j) => j.closed);
  }

  /** Rejects every goal, wakes every reader and stops the loop; returns what was not stored. */
  dispose(): number {
    if (this.#disposed) return 0;
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unstored = this.unstored;
    const error = new DynamoStoreError(
      `DynamoStore: disposed with ${unstored} entries not stored in table ` +
        `"${this.#ctx.settings.table}"`,
      { retryable: false },
    );
    if (unstored > 0) this.#ctx.settings.report(error);
    for (const job of this.jobs.values()) job.abandon(error);
    this.jobs.clear();
    return unstored;
  }

  #waitFor(job: DynamoWriteJob, ready: (job: DynamoWriteJob) => boolean): Promise<void> {
    if (ready(job)) return Promise.resolve();
    const reached = job.until(ready);
    this.#kick();
    return reached;
  }

  /** Schedules a write round unless one is running or scheduled. */
  #kick(delay = this.#ctx.settings.batchMs): void {
    if (this.#disposed || this.#running || this.#timer !== undefined) return;
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
    if (this.#disposed || !this.#hasWork()) return;
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
    this.#ctx.settings.report(error);
    console.warn(`streamator: ${error.message}`);
    for (const goal of job.goals) goal.reject(error);
    job.wake();
    this.jobs.delete(job.jobId);
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
    this.#ctx.settings.report(error);
    if (first) {
      console.warn(
        `streamator: ${error.message}; ${this.unstored} entries are kept in memory and retried`,
      );
    }
    for (const job of this.jobs.values()) {
      for (const goal of job.goals) {
        if (!error.retryable || now - goal.since >= this.#ctx.settings.failAfterMs) {
          goal.reject(error);
        }
      }
    }
  }
}

/** Waits for every promise (none left in flight), then throws the first failure, if any. */
async function all(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}
