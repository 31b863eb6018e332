/**
 * The writer's side of one job in a Durable Object: entries are buffered and
 * sent in batches, one request in flight at a time, so a burst of `log()`
 * calls becomes a few requests. While the job runs, a lease renewal is kept
 * pending at the object: it renews the writer's lease and brings a cancel at
 * once.
 */
import type { Outcome } from "../server/store.ts";
import { sleep } from "../server/sleep.ts";
import { GAP_STATUS, type JobSettings, ORIGIN, ROUTE, type WriteAnswer } from "./protocol.ts";
import type { JobLogStub } from "./workers_types.ts";

/** Entries per request at most. */
const MAX_BATCH = 1_000;
/** Characters of entries per request at most (the object stores up to 1 MB per row). */
const MAX_BATCH_CHARS = 1_000_000;
/** Tries per request before the writer gives up. */
const ATTEMPTS = 5;

/** How a {@linkcode JobWriter} sends. */
export interface WriterSettings extends JobSettings {
  /** The shortest time between two writes of a job, in ms. */
  batchMs: number;
  /** Told about every failed request, retried or not. */
  onError: (error: Error) => void;
}

interface Waiter {
  /** Resolved once the object has every entry before this id (and the end, for a close). */
  upTo: number;
  close: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Writes one job to its Durable Object. */
export class JobWriter {
  readonly #stub: JobLogStub;
  readonly #jobId: string;
  /** This writer's id in its writes: the object tells it from another writer of the same job. */
  readonly #writerId = crypto.randomUUID();
  readonly #settings: WriterSettings;
  /** Entries not sent yet; the first has id `#sent`. */
  #buffer: string[] = [];
  #sent = 0;
  #created = false;
  #closing: Outcome | undefined;
  #closed = false;
  #failed: Error | undefined;
  #sending = false;
  /** Whether a send is due (on a timer, or in a microtask when no wait is needed). */
  #due = false;
  #lastSend = -Infinity;
  #waiters: Waiter[] = [];
  #leasing = false;
  readonly #leaseAbort = new AbortController();
  #cancelled = false;
  readonly #cancelListeners = new Set<() => void>();
  /** Called for each request sent to the object. */
  readonly #counted: () => void;

  constructor(stub: JobLogStub, jobId: string, settings: WriterSettings, counted: () => void) {
    this.#stub = stub;
    this.#counted = counted;
    this.#jobId = jobId;
    this.#settings = settings;
    this.#schedule();
  }

  /** Whether the object has the job yet. */
  get created(): boolean {
    return this.#created;
  }

  /** Whether a cancel was requested. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Queues one entry; ignored once the job is closing. */
  append(json: string): void {
    if (this.#closing !== undefined || this.#closed || this.#failed !== undefined) return;
    this.#buffer.push(json);
    this.#schedule();
  }

  /** Resolves once the object has every entry appended so far. */
  flush(): Promise<void> {
    return this.#until(this.#sent + this.#buffer.length, false);
  }

  /** Sends what is left and the end; resolves once the object has ended the job. */
  close(outcome: Outcome): Promise<void> {
    if (this.#closing === undefined && !this.#closed) {
      this.#closing = outcome;
      this.#schedule();
    }
    return this.#until(this.#sent + this.#buffer.length, true);
  }

  /** Calls `listener` once when a cancel reaches this writer. */
  onCancel(listener: () => void): () => void {
    if (this.#cancelled) {
      queueMicrotask(listener);
      return () => {};
    }
    const once = () => listener();
    this.#cancelListeners.add(once);
    return () => this.#cancelListeners.delete(once);
  }

  #until(upTo: number, close: boolean): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (this.#sent >= upTo && (!close || this.#closed) && this.#created) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ upTo, close, resolve, reject }));
  }

  #schedule(): void {
    if (this.#sending || this.#due || this.#failed !== undefined) return;
    if (this.#closed) return;
    const idle = this.#created && this.#buffer.length === 0 && this.#closing === undefined;
    if (idle) return;
    const delay = Math.max(0, this.#lastSend + this.#settings.batchMs - Date.now());
    this.#due = true;
    // After the code that appended has run, so a loop of log() calls goes in one batch.
    if (delay === 0) queueMicrotask(() => this.#send());
    else setTimeout(() => this.#send(), delay);
  }

  async #send(): Promise<void> {
    this.#due = false;
    this.#sending = true;
    this.#lastSend = Date.now();
    const entries = takeBatch(this.#buffer);
    const closing = entries.length === this.#buffer.length ? this.#closing : undefined;
    const body = JSON.stringify({
      create: this.#created ? undefined : jobSettings(this.#settings),
      writer: this.#writerId,
      first: this.#sent,
      entries,
      close: closing,
    });
    let answer: WriteAnswer;
    try {
      answer = await this.#post(`${ROUTE.write}?job=${this.#jobId}`, body);
    } catch (error) {
      this.#sending = false;
      this.#fail(error as Error);
      return;
    }
    this.#sending = false;
    this.#created = true;
    this.#buffer.splice(0, entries.length);
    this.#sent += entries.length;
    if (closing !== undefined || answer.done) this.#stop();
    this.#heard(answer);
    this.#settle();
    if (!this.#leasing && !this.#closed) this.#lease();
    this.#schedule();
  }

  /** Keeps one lease renewal pending at the object until the job ends. */
  async #lease(): Promise<void> {
    this.#leasing = true;
    const waitMs = Math.max(1, Math.floor(this.#settings.leaseMs / 3));
    let renewed = Date.now();
    while (!this.#closed && this.#closing === undefined && this.#failed === undefined) {
      try {
        // `heard=1`: the writer knows of the cancel, so the object holds the renewal anyway.
        const heard = this.#cancelled ? "&heard=1" : "";
        const response = await this.#stub.fetch(
          `${ORIGIN}${ROUTE.lease}?job=${this.#jobId}&waitMs=${waitMs}${heard}`,
          { method: "POST", signal: this.#leaseAbort.signal },
        );
        this.#counted();
        if (!response.ok) throw new Error(`lease renewal answered ${response.status}`);
        const answer: WriteAnswer = await response.json();
        renewed = Date.now();
        this.#heard(answer);
        if (answer.done || !answer.known) break;
      } catch (error) {
        if (this.#leaseAbort.signal.aborted) break;
        if (Date.now() - renewed > this.#settings.leaseMs) {
          // The object has ended the job "lost" by now: the writer stops too.
          this.#fail(new Error(`its lease could not be renewed for ${this.#settings.leaseMs} ms`));
          break;
        }
        this.#settings.onError(error as Error);
        await sleep(Math.min(1_000, waitMs), this.#leaseAbort.signal);
      }
    }
    this.#leasing = false;
  }

  /** What the object said: a cancel reaches the job's listeners. */
  #heard(answer: WriteAnswer): void {
    if (answer.cancel && !this.#cancelled && !this.#closed) {
      this.#cancelled = true;
      const listeners = [...this.#cancelListeners];
      this.#cancelListeners.clear();
      for (const listener of listeners) listener();
    }
  }

  async #post(path: string, body: string): Promise<WriteAnswer> {
    let last: Error | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      try {
        this.#counted();
        const response = await this.#stub.fetch(`${ORIGIN}${path}`, { method: "POST", body });
        if (response.ok) return await response.json();
        const text = await response.text();
        last = new Error(`the job's Durable Object answered ${response.status}: ${text}`);
        if (response.status === GAP_STATUS || response.status < 500) break;
      } catch (error) {
        last = error instanceof Error ? error : new Error(String(error));
      }
      this.#settings.onError(last);
    }
    throw last!;
  }

  #settle(): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (this.#sent >= waiter.upTo && (!waiter.close || this.#closed)) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  #stop(): void {
    this.#closed = true;
    this.#buffer = [];
    this.#cancelListeners.clear();
    this.#leaseAbort.abort();
  }

  /** The object cannot be written: every waiter hears why, and the writer stops. */
  #fail(error: Error): void {
    const failure = new Error(
      `streamator: job ${this.#jobId} could not be written to its Durable Object: ${error.message}`,
      { cause: error },
    );
    this.#failed = failure;
    this.#stop();
    this.#settings.onError(failure);
    for (const waiter of this.#waiters) waiter.reject(failure);
    this.#waiters = [];
  }
}

function jobSettings(settings: WriterSettings): JobSettings {
  const { leaseMs, retentionMs, maxEntries } = settings;
  return { leaseMs, retentionMs, maxEntries };
}

/** The first entries of `buffer`, up to the batch limits (at least one). */
function takeBatch(buffer: string[]): string[] {
  let count = 0;
  let chars = 0;
  while (count < buffer.length && count < MAX_BATCH) {
    chars += buffer[count].length;
    if (count > 0 && chars > MAX_BATCH_CHARS) break;
    count++;
  }
  return buffer.slice(0, count);
}
