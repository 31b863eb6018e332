import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { ReadResult, Store } from "../server/store.ts";
import { cutChunks, utf8Length } from "./chunks.ts";
import { ensureTable } from "./ensure_table.ts";
import { DynamoStoreError, explain } from "./errors.ts";
import {
  type ChunkItem,
  HASH_KEY,
  MAX_PART_BYTES,
  MAX_PARTS,
  META_SEQ,
  RANGE_KEY,
  TTL_ATTRIBUTE,
} from "./key_schema.ts";
import { LogReader, lowestSeq } from "./log_reader.ts";
import { sleep } from "../server/sleep.ts";
import { checkTableName } from "./table_name.ts";

/**
 * Options of {@linkcode DynamoStore}. Only `table` is required; the client
 * comes from the usual AWS environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`,
 * `AWS_PROFILE`, `AWS_ENDPOINT_URL_DYNAMODB`, ...) unless given.
 *
 * @example
 * ```ts
 * import type { DynamoStoreOptions } from "@streamator/core/dynamo";
 * const options: DynamoStoreOptions = {
 *   table: "my-logs-table",
 *   ttlDays: 1,
 *   region: "us-east-1",
 *   onError: (error) => console.error(error.message),
 * };
 * ```
 */
export interface DynamoStoreOptions {
  /** The table: 3 to 255 of `A-Z a-z 0-9 _ - .`. */
  table: string;
  /** Days until DynamoDB may delete a stored item (its `expiresAt`). Default 1. */
  ttlDays?: number;
  /** An existing client (a `DynamoDBDocumentClient` or a `DynamoDBClient`); it is not destroyed by `dispose()`. */
  client?: DynamoDBDocumentClient | DynamoDBClient;
  /** The AWS region, when the store makes its client. */
  region?: string;
  /** The endpoint URL (DynamoDB Local, dynalite), when the store makes its client. */
  endpoint?: string;
  /** Credentials or a credential provider, when the store makes its client. */
  credentials?: DynamoDBClientConfig["credentials"];
  /** Create the table (on-demand, TTL on) when it is missing. Default `true`. */
  createTable?: boolean;
  /** How often a stream reader looks for new entries, in ms. Default 1,000. */
  pollMs?: number;
  /** How long appends gather before a write, in ms. Default 50. */
  batchMs?: number;
  /**
   * A `flush()` or `close()` still waiting this many ms after it was called rejects with the
   * cause at the next failed write (so within `failAfterMs` + 5 s backoff + one request). A write
   * that succeeds keeps it waiting: slow progress is not a failure. Default 30,000.
   */
  failAfterMs?: number;
  /** Each HTTP request to DynamoDB is abandoned (and retried) after this many ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Strongly consistent reads (twice the read cost). Default `false`: readers never skip an entry either way. */
  consistentRead?: boolean;
  /** Called with every failed write; the store also warns once per outage on the console. */
  onError?: (error: DynamoStoreError) => void;
}

/** A job this store writes. */
interface WriteJob {
  jobId: string;
  /** Marks the job's meta item as this logger's, so no other logger (or reused id) writes to it. */
  writer: string;
  /** The meta item is stored (this store owns the job id in the table). */
  created: boolean;
  /** The id the next appended entry gets. */
  next: number;
  /** Appended entries not cut into chunks yet; the first has id `pendingFrom`. */
  pending: string[];
  pendingFrom: number;
  /** Chunk items cut but not stored yet, in `seq` order. */
  outbox: ChunkItem[];
  closing: boolean;
  closed: boolean;
  /** Flushes and the close waiting on this job. */
  waiters: Set<Waiter>;
  /** Readers in this process waiting for news of this job. */
  readers: Set<() => void>;
}

interface Waiter {
  /** Whether the waiter's goal is reached. */
  ready(job: WriteJob): boolean;
  since: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** Items per BatchWriteItem: DynamoDB's limit. */
const BATCH_ITEMS = 25;
/** Backoff after a failed write: doubling from this, capped at `BACKOFF_MAX_MS`, with jitter. */
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
/** Query pages per read at most (each page is up to 1 MB). */
const MAX_PAGES = 100_000;

/**
 * A {@linkcode Store} in a DynamoDB table, for jobs that outlive the process
 * or are read from other processes: a `JobLogger` writes, and a handler in
 * any process (Deno, Node, Bun, Cloudflare Workers) reads.
 *
 * Writing never blocks the job: `append()` queues the entry in memory and a
 * background loop writes the queue in batches (BatchWriteItem, 25 chunk items
 * of up to 256 entries each). Each chunk is a new item written once, so
 * appends are atomic and a retried write cannot duplicate an entry. When
 * DynamoDB fails, entries stay queued and are retried with exponential
 * backoff (100 ms doubling to 5 s); `onError` sees each failure and the
 * console gets one warning per outage. `flush()` and `close()` resolve once
 * everything is stored, and reject with the cause after `failAfterMs` of
 * failures (or at once for a failure no retry can fix, such as missing
 * credentials); the entries stay queued and retries go on until
 * {@linkcode DynamoStore.dispose}.
 *
 * Reading queries the job's chunks from the reader's cursor on, so a poller
 * with `?from=N` reads only the new chunks (and at most one older one).
 *
 * @example
 * ```ts
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { DynamoStore } from "@streamator/core/dynamo";
 *
 * const store = new DynamoStore({ table: "my-logs-table", ttlDays: 1 });
 * const logs = createLogHandler({ prefix: "/log", store });
 *
 * async function job() {
 *   await using logger = new JobLogger({ store });
 *   logger.log("Starting…");
 *   logger.log("Done", "success");
 * } // close() resolves once every entry is in DynamoDB
 * ```
 */
export class DynamoStore implements Store, Disposable, AsyncDisposable {
  /** The table the store reads and writes. */
  readonly table: string;
  /** Days until a stored item may expire. */
  readonly ttlDays: number;
  /** The document client the store sends its requests with. */
  readonly client: DynamoDBDocumentClient;
  readonly #ownsClient: boolean;
  readonly #createTable: boolean;
  readonly #pollMs: number;
  readonly #batchMs: number;
  readonly #failAfterMs: number;
  readonly #consistentRead: boolean;
  readonly #onError: ((error: DynamoStoreError) => void) | undefined;
  readonly #jobs = new Map<string, WriteJob>();
  #tableReady = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #failures = 0;
  #failingSince: number | undefined;
  #warned = false;
  #disposed = false;

  constructor(options: DynamoStoreOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("DynamoStore: options must be an object with at least { table }");
    }
    this.table = checkTableName(options.table, "DynamoStore: options.table");
    this.ttlDays = positive(options.ttlDays, 1, "ttlDays");
    this.#createTable = options.createTable ?? true;
    this.#pollMs = positive(options.pollMs, 1_000, "pollMs");
    this.#batchMs = nonNegative(options.batchMs, 50, "batchMs");
    this.#failAfterMs = nonNegative(options.failAfterMs, 30_000, "failAfterMs");
    this.#consistentRead = options.consistentRead ?? false;
    const requestTimeout = positive(options.requestTimeoutMs, 10_000, "requestTimeoutMs");
    if (options.onError !== undefined && typeof options.onError !== "function") {
      throw new TypeError("DynamoStore: options.onError must be a function");
    }
    this.#onError = options.onError;
    const { client } = options;
    if (client !== undefined) {
      if (
        options.region !== undefined || options.endpoint !== undefined ||
        options.credentials !== undefined
      ) {
        throw new TypeError(
          "DynamoStore: give either options.client or region/endpoint/credentials, not both",
        );
      }
      if (client instanceof DynamoDBDocumentClient) this.client = client;
      else if (client instanceof DynamoDBClient) this.client = DynamoDBDocumentClient.from(client);
      else {
        throw new TypeError(
          "DynamoStore: options.client must be a DynamoDBDocumentClient or a DynamoDBClient",
        );
      }
      this.#ownsClient = false;
    } else {
      this.client = DynamoDBDocumentClient.from(
        new DynamoDBClient({
          region: options.region,
          endpoint: options.endpoint,
          credentials: options.credentials,
          // Without throwOnRequestTimeout the Node handler only warns and a stalled
          // connection would hold the writer forever.
          requestHandler: {
            requestTimeout,
            connectionTimeout: requestTimeout,
            throwOnRequestTimeout: true,
          },
        }),
      );
      this.#ownsClient = true;
    }
  }

  /** Whether {@linkcode DynamoStore.dispose} was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Entries appended but not stored yet, over all jobs of this store. */
  get unstored(): number {
    let count = 0;
    for (const job of this.#jobs.values()) {
      count += job.pending.length;
      for (const item of job.outbox) if (item.part === undefined) count += item.e.length;
    }
    return count;
  }

  /** Starts writing a job. Its meta item is written with the first batch. */
  create(jobId: string): void {
    if (this.#disposed) throw new Error("DynamoStore: the store is disposed");
    if (this.#jobs.has(jobId)) return;
    this.#jobs.set(jobId, {
      jobId,
      writer: crypto.randomUUID(),
      created: false,
      next: 0,
      pending: [],
      pendingFrom: 0,
      outbox: [],
      closing: false,
      closed: false,
      waiters: new Set(),
      readers: new Set(),
    });
    this.#kick();
  }

  /** Queues one entry; it is written in the background. Ignored for unknown or closed jobs. */
  append(jobId: string, json: string): void {
    const job = this.#jobs.get(jobId);
    if (job === undefined || job.closing || this.#disposed) return;
    job.pending.push(fitting(json, this.#report));
    job.next++;
    this.#kick();
  }

  /** Resolves once every entry appended so far to `jobId` is stored. */
  flush(jobId: string): Promise<void> {
    if (this.#disposed) return disposedError();
    const job = this.#jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    const target = job.next;
    return this.#waitFor(job, (j) => j.created && stored(j) >= target);
  }

  /** Ends a job: stores every entry, then marks the job done. Resolves once all is stored. */
  close(jobId: string): Promise<void> {
    if (this.#disposed) return disposedError();
    const job = this.#jobs.get(jobId);
    if (job === undefined) return Promise.resolve();
    job.closing = true;
    return this.#waitFor(job, (j) => j.closed);
  }

  /**
   * The entries of a job from `cursor` on (at most `limit`), read from
   * DynamoDB; `undefined` when the table has no such job (and this store is
   * not writing it). Throws a
   * {@linkcode DynamoStoreError} when DynamoDB cannot be read.
   */
  async read(jobId: string, cursor: number, limit = Infinity): Promise<ReadResult | undefined> {
    const reader = new LogReader(cursor, limit);
    const pageLimit = limit === 0
      ? 1
      : Number.isFinite(limit)
      ? Math.min(limit + 2, 1000)
      : undefined;
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let output;
      try {
        output = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "#h = :h AND #r >= :lo",
            ExpressionAttributeNames: { "#h": HASH_KEY, "#r": RANGE_KEY },
            ExpressionAttributeValues: { ":h": jobId, ":lo": lowestSeq(cursor) },
            ExclusiveStartKey: startKey,
            Limit: pageLimit,
            ConsistentRead: this.#consistentRead,
          }),
        );
      } catch (error) {
        if ((error as Error)?.name === "ResourceNotFoundException" && this.#jobs.has(jobId)) {
          break; // the table is created with this store's first write
        }
        throw explain(error, this.table, "Query");
      }
      reader.add(output.Items ?? []);
      startKey = output.LastEvaluatedKey;
      if (reader.complete || startKey === undefined) break;
    }
    // A job this store writes exists before its first write lands: no 404 in between.
    if (!reader.exists && this.#jobs.has(jobId)) {
      return { entries: [], next: cursor, done: false, missed: 0 };
    }
    return reader.result();
  }

  /**
   * Resolves after the poll interval, when this process stores news of the
   * job, or when `signal` aborts.
   */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void> {
    const job = this.#jobs.get(jobId);
    if (job !== undefined && (job.closed || (job.created && stored(job) > cursor))) {
      return Promise.resolve();
    }
    return sleep(this.#pollMs, signal, (wake) => {
      job?.readers.add(wake);
      return () => job?.readers.delete(wake);
    });
  }

  /**
   * Stops the background writer: pending `flush()`/`close()` promises reject
   * and entries not stored yet are dropped (reported to `onError`). Closes the
   * client when the store made it.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unstored = this.unstored;
    const error = new DynamoStoreError(
      `DynamoStore: disposed with ${unstored} entries not stored in table "${this.table}"`,
      { retryable: false },
    );
    if (unstored > 0) this.#report(error);
    for (const job of this.#jobs.values()) {
      for (const waiter of job.waiters) waiter.reject(error);
      wake(job);
    }
    this.#jobs.clear();
    if (this.#ownsClient) this.client.destroy();
  }

  /** Disposes the store at the end of a `using` block (see {@linkcode DynamoStore.dispose}). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Waits for everything to be stored (at most as long as `flush()`), then disposes. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await Promise.all([...this.#jobs.keys()].map((jobId) => this.flush(jobId)));
    } finally {
      this.dispose();
    }
  }

  #waitFor(job: WriteJob, ready: (job: WriteJob) => boolean): Promise<void> {
    if (ready(job)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        since: Date.now(),
        resolve: () => {
          job.waiters.delete(waiter);
          resolve();
        },
        reject: (error) => {
          job.waiters.delete(waiter);
          reject(error);
        },
      };
      job.waiters.add(waiter);
      this.#kick();
    });
  }

  /** Schedules a write round unless one is running or scheduled. */
  #kick(delay = this.#batchMs): void {
    if (this.#disposed || this.#running || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, delay);
    if (
      this.#failingSince !== undefined && Date.now() - this.#failingSince >= this.#failAfterMs
    ) {
      unrefTimer(this.#timer); // past the limit: retry, but do not hold a finished program open
    }
  }

  async #run(): Promise<void> {
    this.#running = true;
    let again = false;
    try {
      const full = await this.#round();
      this.#succeeded();
      again = full;
    } catch (error) {
      this.#failed(explain(error, this.table, "write"));
    } finally {
      this.#running = false;
    }
    if (this.#disposed || !this.#hasWork()) return;
    if (this.#failures > 0) this.#kick(backoff(this.#failures));
    else this.#kick(again ? 0 : this.#batchMs);
  }

  #hasWork(): boolean {
    for (const job of this.#jobs.values()) {
      if (!job.created || job.pending.length > 0 || job.outbox.length > 0) return true;
      if (job.closing && !job.closed) return true;
    }
    return false;
  }

  /** One round: table, new jobs' meta items, one batch of chunks, closes. True when the batch was full. */
  async #round(): Promise<boolean> {
    if (!this.#tableReady) {
      const { ttlWarning } = await ensureTable(this.client, this.table, this.#createTable);
      if (ttlWarning !== undefined) console.warn(`streamator: ${ttlWarning}`);
      this.#tableReady = true;
    }
    const jobs = [...this.#jobs.values()];
    await all(jobs.filter((job) => !job.created).map((job) => this.#putMeta(job)));

    const batch: ChunkItem[] = [];
    for (const job of this.#jobs.values()) {
      if (!job.created) continue;
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

    const closing = [...this.#jobs.values()].filter((job) =>
      job.closing && !job.closed && job.created && job.pending.length === 0 &&
      job.outbox.length === 0
    );
    await all(closing.map((job) => this.#markDone(job)));
    return batch.length === BATCH_ITEMS;
  }

  async #putMeta(job: WriteJob): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            [HASH_KEY]: job.jobId,
            [RANGE_KEY]: META_SEQ,
            writer: job.writer,
            createdAt: Date.now(),
            [TTL_ATTRIBUTE]: this.#expiresAt(),
          },
          ConditionExpression: "attribute_not_exists(#h) OR #w = :w",
          ExpressionAttributeNames: { "#h": HASH_KEY, "#w": "writer" },
          ExpressionAttributeValues: { ":w": job.writer },
        }),
      );
      job.created = true;
      this.#settle(job);
    } catch (error) {
      if ((error as Error)?.name !== "ConditionalCheckFailedException") {
        throw explain(error, this.table, "PutItem");
      }
      this.#abandon(
        job,
        new DynamoStoreError(
          `DynamoStore: job "${job.jobId}" already exists in table "${this.table}", written by ` +
            `another logger; its entries here are dropped (job ids must be unique)`,
          { retryable: false, cause: error },
        ),
      );
    }
  }

  async #writeBatch(batch: ChunkItem[]): Promise<void> {
    const expiresAt = this.#expiresAt();
    let output;
    try {
      output = await this.client.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.table]: batch.map((item) => ({
              PutRequest: { Item: { ...item, [TTL_ATTRIBUTE]: expiresAt } },
            })),
          },
        }),
      );
    } catch (error) {
      throw explain(error, this.table, "BatchWriteItem");
    }
    const unprocessed = new Set(
      (output.UnprocessedItems?.[this.table] ?? []).map((request) => {
        const item = request.PutRequest?.Item ?? {};
        return `${item[HASH_KEY]}\n${item[RANGE_KEY]}`;
      }),
    );
    const done = new Set(batch.filter((item) => !unprocessed.has(`${item.jobId}\n${item.seq}`)));
    for (const job of this.#jobs.values()) {
      const before = job.outbox.length;
      job.outbox = job.outbox.filter((item) => !done.has(item));
      if (job.outbox.length !== before) this.#settle(job);
    }
    if (unprocessed.size > 0) {
      throw new DynamoStoreError(
        `DynamoStore: DynamoDB left ${unprocessed.size} of ${batch.length} items unprocessed ` +
          `(throttled); retrying`,
        { retryable: true },
      );
    }
  }

  async #markDone(job: WriteJob): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { [HASH_KEY]: job.jobId, [RANGE_KEY]: META_SEQ },
          UpdateExpression: "SET #d = :d, #n = :n, #x = :x",
          ConditionExpression: "#w = :w",
          ExpressionAttributeNames: {
            "#d": "done",
            "#n": "next",
            "#x": TTL_ATTRIBUTE,
            "#w": "writer",
          },
          ExpressionAttributeValues: {
            ":d": true,
            ":n": job.next,
            ":x": this.#expiresAt(),
            ":w": job.writer,
          },
        }),
      );
    } catch (error) {
      throw explain(error, this.table, "UpdateItem");
    }
    job.closed = true;
    this.#settle(job);
    this.#jobs.delete(job.jobId);
  }

  /** Resolves the job's waiters whose goal is reached and wakes its local readers. */
  #settle(job: WriteJob): void {
    for (const waiter of job.waiters) if (waiter.ready(job)) waiter.resolve();
    wake(job);
  }

  /** Gives up on a job no retry can store: rejects its waiters and forgets it. */
  #abandon(job: WriteJob, error: DynamoStoreError): void {
    this.#report(error);
    console.warn(`streamator: ${error.message}`);
    for (const waiter of job.waiters) waiter.reject(error);
    wake(job);
    this.#jobs.delete(job.jobId);
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#failingSince = undefined;
    this.#warned = false;
  }

  #failed(error: DynamoStoreError): void {
    const now = Date.now();
    this.#failures++;
    this.#failingSince ??= now;
    this.#report(error);
    if (!this.#warned) {
      this.#warned = true;
      console.warn(
        `streamator: ${error.message}; ${this.unstored} entries are kept in memory and retried`,
      );
    }
    for (const job of this.#jobs.values()) {
      for (const waiter of job.waiters) {
        if (!error.retryable || now - waiter.since >= this.#failAfterMs) waiter.reject(error);
      }
    }
  }

  #report = (error: DynamoStoreError): void => {
    try {
      this.#onError?.(error);
    } catch (hookError) {
      console.error("streamator: onError threw", hookError);
    }
  };

  #expiresAt(): number {
    return Math.floor(Date.now() / 1000) + Math.round(this.ttlDays * 86_400);
  }
}

function disposedError(): Promise<never> {
  return Promise.reject(
    new DynamoStoreError("DynamoStore: the store is disposed", { retryable: false }),
  );
}

/** Waits for every promise (none left in flight), then throws the first failure, if any. */
async function all(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}

/** The contiguous stored prefix of a job: every id below it is in DynamoDB. */
function stored(job: WriteJob): number {
  return job.outbox.length > 0 ? job.outbox[0].seq : job.pendingFrom;
}

function wake(job: WriteJob): void {
  if (job.readers.size === 0) return;
  const readers = [...job.readers];
  job.readers.clear();
  for (const reader of readers) reader();
}

function backoff(failures: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures - 1, 16));
  return ceiling / 2 + Math.random() * ceiling / 2;
}

/** Lets a retry timer not keep the program alive, where the runtime can (Deno, Node, Bun). */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;
  if (typeof timer === "number") deno?.unrefTimer?.(timer);
  else (timer as { unref?(): void })?.unref?.();
}

const LARGEST_ENTRY = MAX_PARTS * MAX_PART_BYTES;

/** The entry, or an error entry in its place when it is beyond what the store can hold. */
function fitting(json: string, report: (error: DynamoStoreError) => void): string {
  if (json.length <= LARGEST_ENTRY / 3) return json;
  const bytes = utf8Length(json);
  if (bytes <= LARGEST_ENTRY) return json;
  const message = `entry of ${bytes} bytes replaced: the DynamoDB store holds at most ` +
    `${LARGEST_ENTRY} bytes per entry`;
  report(new DynamoStoreError(`DynamoStore: ${message}`, { retryable: false }));
  return JSON.stringify({ event: "log", message: `streamator: ${message}`, level: "error" });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) {
    throw new TypeError(`DynamoStore: options.${name} must be a positive number, got ${v}`);
  }
  return v;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`DynamoStore: options.${name} must be a number >= 0, got ${v}`);
  }
  return v;
}
