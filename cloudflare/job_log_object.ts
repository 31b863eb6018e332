import { checkOutcome } from "../server/outcome.ts";
import type { ReadResult, Store } from "../server/store.ts";
import { makeStreamResponse } from "../server/stream_response.ts";
import { GAP_STATUS, ROUTE, type WriteAnswer, type WriteBody } from "./protocol.ts";
import { JobTable } from "./job_table.ts";
import { readTable, tableStore } from "./table_store.ts";
import type { JobLogState } from "./workers_types.ts";

/** The longest a read or a lease renewal is held, in ms. */
const MAX_WAIT_MS = 60_000;

/**
 * The Durable Object that holds one job's log: export it from your Worker and
 * bind it (see `durableObjectStore`). One object per job, found by the job's
 * id, so every request about a job, from any Worker or isolate, reaches the
 * same place:
 *
 * - **Writes:** the writer's batches go to SQLite storage, one write (one
 *   row) per batch, numbered from an explicit first id, so a retried batch
 *   adds nothing twice. The object answers once the batch is stored.
 * - **Streams:** the object serves each job's SSE streams itself; a
 *   batch wakes every open stream of the job at once, as it arrives, before
 *   it is stored: live push, no polling, and no wait for the storage write.
 *   A read with nothing new is likewise held until the next batch.
 * - **Reads:** snapshots and the store's reads are answered from the
 *   latest entries in memory, older ones from SQLite.
 * - **Cancel** answers the writer's held lease renewal at once.
 * - **Alarms:** while the job runs, one at the end of the writer's lease ends
 *   the job `"lost"` if the writer has sent nothing since; once it has ended,
 *   one at the end of its retention deletes its storage.
 */
export class JobLogObject {
  readonly #state: JobLogState;
  readonly #table: JobTable;
  /** Readers held until the next write or the job's end: held reads and streams. */
  readonly #readers = new Set<() => void>();
  /** The streams' store: this object's table, read in place. */
  readonly #streams: Store;
  /** Lease renewals held until a cancel or the job's end. */
  readonly #leases = new Set<() => void>();
  /** When the writer last sent anything; a restarted object gives it a whole lease. */
  #lastSeen = Date.now();

  /** Called by the runtime with the object's state; the environment is not used. */
  constructor(state: JobLogState, _env?: unknown) {
    this.#state = state;
    this.#table = new JobTable(state.storage.sql);
    this.#streams = tableStore(this.#table, this.#readers);
    // Woken again (after an eviction or a restart): the job's alarm is set anew, so an alarm
    // that came due while the object was away still ends or deletes the job.
    const meta = this.#table.meta;
    if (meta !== undefined) {
      const at = meta.done
        ? (meta.endedAt ?? this.#lastSeen) + meta.settings.retentionMs
        : this.#lastSeen + meta.settings.leaseMs;
      state.storage.setAlarm(at).catch(() => {});
    }
  }

  /** Answers the requests of `durableObjectStore`. */
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      switch (url.pathname) {
        case ROUTE.write:
          if (request.method === "POST") return await this.#write(await request.json());
          break;
        case ROUTE.read:
          if (request.method === "GET") return await this.#read(url, request.signal);
          break;
        case ROUTE.stream:
          if (request.method === "GET") return await this.#stream(url, request.signal);
          break;
        case ROUTE.lease:
          if (request.method === "POST") return await this.#lease(url, request.signal);
          break;
        case ROUTE.result:
          if (request.method === "PUT") return this.#setResult(await request.text());
          if (request.method === "GET") return this.#result();
          break;
        case ROUTE.stats:
          if (request.method === "GET") return Response.json({ waiting: this.#readers.size });
          break;
        case ROUTE.cancel:
          if (request.method === "POST") return this.#cancel();
          break;
        default:
          return Response.json({ error: "not found" }, { status: 404 });
      }
      return Response.json({ error: "method not allowed" }, { status: 405 });
    } catch (error) {
      if (error instanceof TypeError || error instanceof SyntaxError) {
        return Response.json({ error: error.message }, { status: 400 });
      }
      throw error;
    }
  }

  /** The lease or retention alarm: ends a job whose writer went quiet, deletes an old one. */
  async alarm(): Promise<void> {
    const meta = this.#table.meta;
    if (meta === undefined) return;
    const now = Date.now();
    if (!meta.done) {
      const deadline = this.#lastSeen + meta.settings.leaseMs;
      if (now < deadline) return await this.#state.storage.setAlarm(deadline);
      this.#table.end({
        status: "lost",
        message:
          `the job's writer sent nothing for ${meta.settings.leaseMs} ms and the job was ended`,
      }, now);
      await this.#ended();
      return;
    }
    const deadline = (meta.endedAt ?? now) + meta.settings.retentionMs;
    if (now < deadline) return await this.#state.storage.setAlarm(deadline);
    await this.#state.storage.deleteAll();
    this.#table.forget();
    wake(this.#readers);
    wake(this.#leases);
  }

  async #write(body: WriteBody): Promise<Response> {
    checkWrite(body);
    this.#lastSeen = Date.now();
    if (body.create !== undefined && this.#table.create(body.create, body.writer)) {
      await this.#state.storage.setAlarm(this.#lastSeen + body.create.leaseMs);
    }
    let first = body.first;
    if (body.writer !== undefined) {
      const base = this.#table.writerBase(body.writer, body.create !== undefined);
      if (typeof base === "string") {
        const error = base === "replaced"
          ? "another writer has taken the job over"
          : `the job ended (${this.#table.meta!.outcome?.status}) before this writer's first write`;
        return Response.json({ error }, { status: GAP_STATUS });
      }
      first += base;
    }
    if (!this.#table.stage(first, body.entries)) {
      return Response.json({
        error: `entries from ${this.#table.meta!.next} to ${first} are missing`,
      }, { status: GAP_STATUS });
    }
    if (this.#table.staged) {
      // The streams take the batch before it is stored: once the object writes to storage, the
      // runtime holds back everything it sends until the write is committed (the output gate),
      // the streams' bytes too. Awaiting `sync()` gives their bytes a turn to leave first. The
      // answer below still waits for the commit: a batch the object lost is sent again.
      wake(this.#readers);
      await this.#state.storage.sync();
    }
    this.#table.store();
    const ending = body.close !== undefined && this.#table.meta?.done === false;
    if (ending) this.#table.end(body.close!, this.#lastSeen);
    if (ending) await this.#ended();
    return Response.json(this.#answer());
  }

  async #read(url: URL, signal: AbortSignal): Promise<Response> {
    const cursor = count(url.searchParams.get("cursor"), "cursor") ?? 0;
    const limit = count(url.searchParams.get("limit"), "limit") ?? Infinity;
    const waitMs = Math.min(count(url.searchParams.get("waitMs"), "waitMs") ?? 0, MAX_WAIT_MS);
    let result = readTable(this.#table, cursor, limit);
    if (result === undefined) return Response.json({ error: "unknown job" }, { status: 404 });
    if (waitMs > 0 && !hasNews(result, cursor)) {
      await held(this.#readers, waitMs, signal);
      // A job deleted in the meantime reads as ended here: the reader's next read gets the 404.
      result = readTable(this.#table, cursor, limit) ??
        { entries: [], next: cursor, done: true, missed: 0 };
    }
    return Response.json(result);
  }

  /** A job's SSE stream, served here: every stream of the job is woken by the object's writes. */
  #stream(url: URL, signal: AbortSignal): Promise<Response> {
    const lastEventId = count(url.searchParams.get("lastEventId"), "lastEventId");
    return makeStreamResponse(url.searchParams.get("job") ?? "job", {
      store: this.#streams,
      lastEventId,
      heartbeatMs: count(url.searchParams.get("heartbeatMs"), "heartbeatMs"),
      retryMs: count(url.searchParams.get("retryMs"), "retryMs"),
      signal,
    });
  }

  async #lease(url: URL, signal: AbortSignal): Promise<Response> {
    this.#lastSeen = Date.now();
    const waitMs = Math.min(count(url.searchParams.get("waitMs"), "waitMs") ?? 0, MAX_WAIT_MS);
    const meta = this.#table.meta;
    // A cancel the writer has not heard of is answered at once; else the renewal is held.
    const news = meta === undefined || meta.done ||
      (meta.cancelled && url.searchParams.get("heard") !== "1");
    if (!news && waitMs > 0) await held(this.#leases, waitMs, signal);
    return Response.json(this.#answer());
  }

  #setResult(json: string): Response {
    if (!this.#table.setResult(json)) {
      return Response.json({ error: "unknown job" }, { status: 404 });
    }
    return new Response(null, { status: 204 });
  }

  #result(): Response {
    const result = this.#table.result();
    if (result === undefined) return Response.json({ error: "unknown job" }, { status: 404 });
    return Response.json(result);
  }

  #cancel(): Response {
    if (this.#table.meta === undefined) return Response.json({ known: false });
    if (this.#table.cancel()) wake(this.#leases);
    return Response.json({ known: true });
  }

  /** The job has just ended: its writer and readers hear it, and its retention starts. */
  async #ended(): Promise<void> {
    wake(this.#readers);
    wake(this.#leases);
    const meta = this.#table.meta!;
    await this.#state.storage.setAlarm((meta.endedAt ?? Date.now()) + meta.settings.retentionMs);
  }

  #answer(): WriteAnswer {
    const meta = this.#table.meta;
    if (meta === undefined) return { known: false, next: 0, done: true, cancel: false };
    return { known: true, next: meta.next, done: meta.done, cancel: meta.cancelled };
  }
}

/** Whether a read has something for a reader at `cursor`. */
function hasNews(result: ReadResult, cursor: number): boolean {
  return result.done || result.entries.length > 0 || result.missed > 0 || result.next < cursor;
}

/** Resolves on the next `wake` of `set`, after `ms`, or when `signal` aborts. */
function held(set: Set<() => void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      set.delete(done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    set.add(done);
    signal.addEventListener("abort", done);
  });
}

function wake(set: Set<() => void>): void {
  for (const done of [...set]) done();
}

/** A non-negative integer query parameter, or `undefined` when absent; a TypeError otherwise. */
function count(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (value === "" || !Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got "${value}"`);
  }
  return n;
}

function checkWrite(body: WriteBody): void {
  if (body === null || typeof body !== "object") throw new TypeError("the body must be an object");
  if (!Number.isSafeInteger(body.first) || body.first < 0) {
    throw new TypeError("first must be a non-negative integer");
  }
  if (!Array.isArray(body.entries) || body.entries.some((e) => typeof e !== "string")) {
    throw new TypeError("entries must be an array of strings");
  }
  if (body.writer !== undefined && typeof body.writer !== "string") {
    throw new TypeError("writer must be a string");
  }
  if (body.close !== undefined) body.close = checkOutcome(body.close, "close");
  const create = body.create;
  if (create !== undefined) {
    for (const name of ["leaseMs", "retentionMs", "maxEntries"] as const) {
      if (typeof create[name] !== "number" || !(create[name] > 0)) {
        throw new TypeError(`create.${name} must be a positive number`);
      }
    }
  }
}
