import type { Outcome, ReadResult, ResultRead, Store } from "../server/store.ts";
import type { StreamOptions } from "../server/stream_response.ts";
import { toHeaders } from "../server/http.ts";
import { checkOutcome } from "../server/outcome.ts";
import { BATCH } from "../server/sse_stream.ts";
import { JobWriter } from "./job_writer.ts";
import { type DurableObjectStoreOptions, type StoreSettings, storeSettings } from "./options.ts";
import { ORIGIN, ROUTE } from "./protocol.ts";
import type { JobLogNamespace, JobLogStub } from "./workers_types.ts";

/** How long a read that a wait brought back is used for the reader's next read, in ms. */
const HANDOFF_MS = 1_000;
/** Handed-off reads kept at most. */
const MAX_HANDOFFS = 10_000;

/** A read a held wait answered with, for the read that follows it. */
interface Handoff {
  result: ReadResult;
  limit: number;
  at: number;
}

/**
 * A {@linkcode Store} whose jobs live in Durable Objects of the
 * {@linkcode JobLogObject} class, one per job (`namespace.idFromName(jobId)`),
 * so any Worker, isolate or script bound to the namespace writes and reads
 * the same job. Make one per request or share one; it holds only the jobs it
 * writes.
 *
 * - **Writing:** `append` queues; the entries go to the object in batches (at
 *   most one request in flight per job, at least `batchMs` apart, up to 1,000
 *   entries each). A pending lease renewal keeps the job alive and brings a
 *   cancel to `logger.signal` at once.
 * - **Streaming:** `makeStreamResponse` (and so the handler's stream route)
 *   hands each stream request to the job's object, which serves the SSE
 *   stream itself: every batch wakes the job's streams there as it
 *   arrives, so entries reach readers without waiting for the storage
 *   write, one request per stream.
 * - **Reading:** `read` asks the object; `wait` sends a read that the object
 *   holds until the next write or the job's end and answers with the
 *   entries, which the reader's next `read` takes without another request.
 *
 * A new job reaches its object with the first batch, sent at once: `await
 * logger.flush()` before handing out the job's id, so that no reader asks
 * the object before it has the job (a 404).
 *
 * @example
 * ```ts
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { durableObjectStore, type JobLogNamespace } from "@streamator/core/cloudflare";
 * export { JobLogObject } from "@streamator/core/cloudflare";
 *
 * interface Env {
 *   JOB_LOGS: JobLogNamespace;
 * }
 * interface Context {
 *   waitUntil(promise: Promise<unknown>): void;
 * }
 *
 * const worker = {
 *   async fetch(request: Request, env: Env, ctx: Context): Promise<Response> {
 *     const store = durableObjectStore(env.JOB_LOGS);
 *     if (request.method === "POST" && new URL(request.url).pathname === "/jobs") {
 *       const logger = new JobLogger({ store });
 *       ctx.waitUntil(logger.run(async (log) => {
 *         log.log("Working…");
 *       }));
 *       await logger.flush(); // the job's object has the job: readers may come
 *       return Response.json({ log_job_id: logger.jobId });
 *     }
 *     const logs = createLogHandler({ store });
 *     return (await logs(request)) ?? new Response("not found", { status: 404 });
 *   },
 * }; // the module's `export default`
 * ```
 */
export class DurableObjectStore implements Store {
  readonly #namespace: JobLogNamespace;
  readonly #settings: StoreSettings;
  readonly #writers = new Map<string, JobWriter>();
  readonly #handoffs = new Map<string, Handoff>();
  #writeRequests = 0;
  readonly #counted = () => {
    this.#writeRequests++;
  };

  /** A store on `namespace` (`env.JOB_LOGS`); a TypeError names a bad option. */
  constructor(namespace: JobLogNamespace, options: DurableObjectStoreOptions = {}) {
    if (
      namespace === null || typeof namespace !== "object" ||
      typeof namespace.idFromName !== "function" || typeof namespace.get !== "function"
    ) {
      throw new TypeError(
        "durableObjectStore: namespace must be a Durable Object namespace binding (env.JOB_LOGS)",
      );
    }
    this.#namespace = namespace;
    this.#settings = storeSettings(options);
  }

  /** Requests this store's writers have sent to their objects (batches and lease renewals). */
  get writeRequests(): number {
    return this.#writeRequests;
  }

  /** Starts writing a job: its object starts it with the first batch, sent at once. */
  create(jobId: string): void {
    if (this.#writers.has(jobId)) return;
    this.#writers.set(
      jobId,
      new JobWriter(this.#stub(jobId), jobId, this.#settings, this.#counted),
    );
  }

  /** Queues one entry for the job's next batch. Ignored for a job this store does not write. */
  append(jobId: string, json: string): void {
    this.#writers.get(jobId)?.append(json);
  }

  /** Resolves once the job's object has every entry appended so far. */
  flush(jobId: string): Promise<void> {
    return this.#writers.get(jobId)?.flush() ?? Promise.resolve();
  }

  /** Sends the last entries and the end (default `{ status: "ok" }`); resolves once stored. */
  async close(jobId: string, outcome: Outcome = { status: "ok" }): Promise<void> {
    const checked = checkOutcome(outcome, "DurableObjectStore.close");
    const writer = this.#writers.get(jobId);
    if (writer === undefined) return;
    try {
      await writer.close(checked);
    } finally {
      if (this.#writers.get(jobId) === writer) this.#writers.delete(jobId);
    }
  }

  /** The job's entries from `cursor` on; `undefined` for a job its object does not have. */
  async read(jobId: string, cursor: number, limit = Infinity): Promise<ReadResult | undefined> {
    const key = `${jobId}\n${cursor}`;
    const handoff = this.#handoffs.get(key);
    if (handoff !== undefined) {
      this.#handoffs.delete(key);
      if (handoff.limit === limit && Date.now() - handoff.at < HANDOFF_MS) return handoff.result;
    }
    const query = `cursor=${cursor}${limit === Infinity ? "" : `&limit=${limit}`}`;
    const response = await this.#get(jobId, `${ROUTE.read}?${query}`);
    if (response === undefined) {
      // A job this store writes exists before its first batch lands: no 404 in between.
      return this.#writers.has(jobId)
        ? { entries: [], next: cursor, done: false, missed: 0 }
        : undefined;
    }
    return await response.json();
  }

  /**
   * Resolves when there may be news at `cursor`: a read the object holds
   * until its next write or the job's end (at most `waitMs`), or `signal`.
   */
  wait(jobId: string, cursor: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        resolve();
      };
      signal.addEventListener("abort", done);
      const path = `${ROUTE.read}?cursor=${cursor}&limit=${BATCH}&waitMs=${this.#settings.waitMs}`;
      this.#get(jobId, path, signal).then(async (response) => {
        if (response === undefined || signal.aborted) return;
        this.#handOff(`${jobId}\n${cursor}`, { result: await response.json(), limit: BATCH });
      }).catch(() => {}).finally(done);
    });
  }

  /**
   * The job's SSE stream, served by its object (every stream of a job is
   * woken there by each batch), with the options' extra headers.
   */
  async streamResponse(jobId: string, options: StreamOptions): Promise<Response> {
    const { lastEventId, heartbeatMs, retryMs, signal, headers } = options;
    const query = new URLSearchParams({ job: jobId });
    if (lastEventId !== undefined) query.set("lastEventId", String(lastEventId));
    if (heartbeatMs !== undefined) query.set("heartbeatMs", String(heartbeatMs));
    if (retryMs !== undefined) query.set("retryMs", String(retryMs));
    const answer = await this.#stub(jobId).fetch(`${ORIGIN}${ROUTE.stream}?${query}`, { signal });
    if (answer.status >= 500) {
      await answer.body?.cancel();
      throw new Error(`the job's Durable Object answered ${answer.status}`);
    }
    const merged = new Headers(answer.headers);
    for (const [name, value] of toHeaders(headers)) merged.set(name, value);
    return new Response(answer.body, { status: answer.status, headers: merged });
  }

  /** Stores the job's result (JSON text); a later call replaces it. */
  async setResult(jobId: string, json: string): Promise<void> {
    if (typeof json !== "string") {
      throw new TypeError("DurableObjectStore.setResult: json must be a string of JSON text");
    }
    await this.#writers.get(jobId)?.flush(); // the object has the job
    const response = await this.#stub(jobId).fetch(`${ORIGIN}${ROUTE.result}?job=${jobId}`, {
      method: "PUT",
      body: json,
    });
    if (response.status === 404) {
      throw new Error(`DurableObjectStore.setResult: no job "${jobId}"`);
    }
    if (!response.ok) throw await failure(response);
  }

  /** The job's result and whether it ended; `undefined` for an unknown job. */
  async readResult(jobId: string): Promise<ResultRead | undefined> {
    const response = await this.#get(jobId, ROUTE.result);
    if (response === undefined) return undefined;
    const read: { json?: string; done: boolean } = await response.json();
    return { json: read.json, done: read.done };
  }

  /** Asks the job to stop: its writer hears it through its pending lease renewal. */
  async cancel(jobId: string): Promise<boolean> {
    const response = await this.#stub(jobId).fetch(`${ORIGIN}${ROUTE.cancel}?job=${jobId}`, {
      method: "POST",
    });
    if (!response.ok) throw await failure(response);
    const { known }: { known: boolean } = await response.json();
    return known;
  }

  /** Calls `listener` once when a cancel reaches a job this store writes. */
  onCancel(jobId: string, listener: () => void): () => void {
    return this.#writers.get(jobId)?.onCancel(listener) ?? (() => {});
  }

  #stub(jobId: string): JobLogStub {
    return this.#namespace.get(this.#namespace.idFromName(jobId));
  }

  /** A GET to the job's object: the response when 200, `undefined` when 404, else an error. */
  async #get(jobId: string, path: string, signal?: AbortSignal): Promise<Response | undefined> {
    const separator = path.includes("?") ? "&" : "?";
    const response = await this.#stub(jobId).fetch(
      `${ORIGIN}${path}${separator}job=${jobId}`,
      { signal },
    );
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  #handOff(key: string, handoff: Omit<Handoff, "at">): void {
    if (this.#handoffs.size >= MAX_HANDOFFS) this.#handoffs.clear();
    this.#handoffs.set(key, { ...handoff, at: Date.now() });
  }
}

/**
 * The store for `JobLogger` and `createLogHandler` on Cloudflare Workers,
 * on a namespace of {@linkcode JobLogObject}s: `durableObjectStore(env.JOB_LOGS)`.
 * See {@linkcode DurableObjectStore}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler } from "@streamator/core";
 * import { durableObjectStore, type JobLogNamespace } from "@streamator/core/cloudflare";
 * function logsFor(env: { JOB_LOGS: JobLogNamespace }) {
 *   return createLogHandler({ store: durableObjectStore(env.JOB_LOGS, { leaseMs: 30_000 }) });
 * }
 * // What a binding that is not a Durable Object namespace gets:
 * assert.throws(() => logsFor({ JOB_LOGS: "JOB_LOGS" as unknown as JobLogNamespace }), {
 *   name: "TypeError",
 *   message: "durableObjectStore: namespace must be a Durable Object namespace binding (env.JOB_LOGS)",
 * });
 * ```
 */
export function durableObjectStore(
  namespace: JobLogNamespace,
  options?: DurableObjectStoreOptions,
): DurableObjectStore {
  return new DurableObjectStore(namespace, options);
}

async function failure(response: Response): Promise<Error> {
  return new Error(
    `the job's Durable Object answered ${response.status}: ${await response.text()}`,
  );
}
