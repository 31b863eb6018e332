import { frameBatch } from "./frame_cache.ts";
import { sseComment, sseEvent } from "./sse.ts";
import type { ReadResult, Store } from "./store.ts";
import { doneEventJson, missedEventJson } from "./wire.ts";
import { doneFields } from "./outcome.ts";

/** Entries per chunk written to the stream. */
export const BATCH = 512;

const encoder = new TextEncoder();
const PING = sseComment("ping");

/** What the stream does next: read the store, wait for news, or wait for a heartbeat to retry. */
type State = "ready" | "reading" | "watching" | "failed" | "stopped";

/** What a {@linkcode SseStream} needs. */
export interface SseStreamInit {
  store: Store;
  jobId: string;
  /** The first entry id to send. */
  cursor: number;
  /** The first read, already done by the caller (at `cursor`). */
  first: ReadResult;
  heartbeatMs: number;
  /** Sent before the first event, in its block (the `retry:` line). */
  prefix: string;
  signal: AbortSignal | undefined;
}

/**
 * The source of one subscriber's `text/event-stream` body. It reads the store
 * only when there may be something new (the store's `watch`, else `wait`),
 * never on a heartbeat: an idle subscriber is this object, one store
 * callback and one timer. A heartbeat (`: ping`, a comment line with no
 * blank line after it) is sent between events after `heartbeatMs` with
 * nothing written. Reads follow the client's pace: nothing is read while the
 * previous chunk is still queued.
 */
export class SseStream {
  readonly #store: Store;
  readonly #jobId: string;
  readonly #heartbeatMs: number;
  readonly #signal: AbortSignal | undefined;
  #cursor: number;
  #first: ReadResult | undefined;
  #prefix: string;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #state: State = "ready";
  #lastWrite = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unwatch: (() => void) | undefined;
  #pending: (() => void) | undefined;
  readonly #onNews = () => {
    if (this.#state !== "watching") return; // a stale call from an earlier watch
    this.#unwatch = undefined;
    this.#state = "ready";
    if (this.#pending !== undefined) this.#read();
  };

  constructor(init: SseStreamInit) {
    this.#store = init.store;
    this.#jobId = init.jobId;
    this.#cursor = init.cursor;
    this.#first = init.first;
    this.#heartbeatMs = init.heartbeatMs;
    this.#prefix = init.prefix;
    this.#signal = init.signal;
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
    this.#lastWrite = Date.now();
    if (this.#signal !== undefined) {
      if (this.#signal.aborted) return this.#abort();
      this.#signal.addEventListener("abort", this);
    }
    const first = this.#first!;
    this.#first = undefined;
    this.#timer = setTimeout(beat, this.#heartbeatMs, this);
    this.#take(first);
    if (this.#prefix !== "" && this.#state !== "stopped") {
      // Nothing to send yet: the `retry:` line goes out now, so the response starts at once
      // (some servers send headers only with the first bytes); the first event completes its block.
      this.#send(encoder.encode(this.#prefix));
      this.#prefix = "";
    }
  }

  pull(): Promise<void> | undefined {
    if (this.#state === "stopped") return;
    return new Promise((resolve) => {
      this.#pending = resolve;
      if (this.#state === "ready") this.#read();
    });
  }

  cancel(): void {
    this.#stop();
  }

  /** The request's signal aborted: the client is gone. */
  handleEvent(): void {
    this.#abort();
  }

  async #read(): Promise<void> {
    this.#state = "reading";
    let result: ReadResult | undefined;
    try {
      result = await this.#store.read(this.#jobId, this.#cursor, BATCH);
    } catch {
      // The store is down: the next heartbeat retries.
      if (this.#state === "reading") this.#state = "failed";
      return;
    }
    if (this.#state !== "reading") return;
    this.#take(result ?? { entries: [], next: this.#cursor, done: true, missed: 0 });
  }

  /** Writes what a read returned, then decides what comes next. */
  #take(result: ReadResult): void {
    const wrote = this.#write(result);
    if (this.#state === "stopped") return;
    if (result.entries.length >= BATCH) this.#state = "ready";
    else this.#watch();
    if (wrote) this.#resolve();
  }

  /** Sends a read's gap, entries and end; `false` when there was nothing to send. */
  #write(result: ReadResult): boolean {
    // After a gap, the newest progress the store kept from it (no id: it is not at the cursor).
    const head = result.missed > 0
      ? sseEvent(missedEventJson(result.missed)) +
        (typeof result.progress === "string" ? sseEvent(result.progress) : "")
      : "";
    const batch = frameBatch(this.#jobId, result.next - result.entries.length, result.entries);
    this.#cursor = result.next;
    const tail = result.done
      ? sseEvent(doneEventJson(doneFields(result.outcome)), result.next)
      : "";
    if (head === "" && batch.length === 0 && tail === "") return false;
    const before = this.#prefix + head;
    this.#prefix = "";
    // A fresh buffer every time (before and tail are ASCII): the shared batch is copied, so no
    // consumer can detach or change what another subscriber is about to send.
    const chunk = new Uint8Array(before.length + batch.length + tail.length);
    encoder.encodeInto(before, chunk);
    chunk.set(batch, before.length);
    encoder.encodeInto(tail, chunk.subarray(before.length + batch.length));
    this.#send(chunk);
    if (result.done) {
      try {
        this.#controller!.close();
      } catch {
        // already closed by the client
      }
      this.#stop();
    }
    return true;
  }

  #send(chunk: Uint8Array): void {
    try {
      this.#controller!.enqueue(chunk);
    } catch {
      return this.#stop(); // the stream was closed under us
    }
    this.#lastWrite = Date.now();
  }

  /** Waits for news at the cursor: the store's callback, else its `wait` with a signal. */
  #watch(): void {
    this.#state = "watching";
    const store = this.#store;
    if (store.watch !== undefined) {
      this.#unwatch = store.watch(this.#jobId, this.#cursor, this.#onNews);
      return;
    }
    const waiting = new AbortController();
    this.#unwatch = () => waiting.abort();
    // A failing wait counts as news too: the next read tells what changed.
    store.wait(this.#jobId, this.#cursor, waiting.signal).then(
      () => waiting.signal.aborted || this.#onNews(),
      () => waiting.signal.aborted || this.#onNews(),
    );
  }

  /** The heartbeat timer fired. */
  beat(): void {
    if (this.#state === "stopped") return;
    const idle = Date.now() - this.#lastWrite;
    if (idle < this.#heartbeatMs) {
      this.#timer = setTimeout(beat, this.#heartbeatMs - idle, this);
      return;
    }
    this.#timer = setTimeout(beat, this.#heartbeatMs, this);
    if (this.#state === "watching" && this.#store.watch !== undefined) {
      // Renewing is cheap and lets a store that ends jobs lazily (idle ones) notice.
      this.#unwatch?.();
      this.#unwatch = this.#store.watch(this.#jobId, this.#cursor, this.#onNews);
    }
    if (this.#state === "failed") {
      this.#state = "ready"; // the store failed: read again now, or on the client's next pull
      if (this.#pending !== undefined) this.#read();
    }
    if ((this.#controller!.desiredSize ?? 0) <= 0) return; // the client has not taken the last chunk
    // A ping needs no new pull: the pending one stays pending until the store has news.
    this.#send(encoder.encode(PING));
  }

  #resolve(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.();
  }

  #abort(): void {
    this.#stop();
    try {
      this.#controller?.close();
    } catch {
      // already closed
    }
  }

  #stop(): void {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    clearTimeout(this.#timer);
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#signal?.removeEventListener("abort", this);
    this.#resolve();
  }
}

function beat(stream: SseStream): void {
  stream.beat();
}
