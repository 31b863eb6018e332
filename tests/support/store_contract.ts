/**
 * Test support: the store contract, one suite that every store runs (memory,
 * `pollingStore`, DynamoDB on dynalite, Redis, Redis Cluster; the Durable
 * Object store runs its checks inside workerd). A store under test gives a
 * writer and a reader; for a shared store (DynamoDB, Redis) they are two
 * store objects, as two processes would have, so every read crosses the real
 * server. The checks on one store object come from `store_checks.ts`, which
 * needs no test framework.
 */

import assert from "node:assert/strict";
import { createLogHandler, JobLogger, type Store } from "../../mod.ts";
import { serve } from "./serve.ts";
import { SseClient } from "./sse_client.ts";
import { STORE_CONTRACT } from "./store_checks.ts";

/** A writer and a reader on the same data, and how to stop them. */
export interface ContractStores extends AsyncDisposable {
  writer: Store;
  reader: Store;
}

/** What a store under test offers. */
export interface ContractTarget {
  name: string;
  /** Fresh stores (and their server, if any). */
  open(): Promise<ContractStores>;
  /** Stores keeping at most `maxEntries` entries per job, when the store has that limit. */
  openBounded?(maxEntries: number): Promise<ContractStores>;
}

/** The longest any contract step waits for news, in ms (a store's safety net is shorter). */
const NEWS_WITHIN_MS = 5_000;

/** Registers the contract tests for `target`. */
export function storeContract(target: ContractTarget): void {
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({
      name: `${target.name}: ${name}`,
      fn,
      sanitizeOps: false,
      sanitizeResources: false,
    });

  let jobs = 0;
  for (const [name, check] of Object.entries(STORE_CONTRACT)) {
    test(name, async () => {
      await using stores = await target.open();
      await check(stores.writer, `contract-job-${++jobs}`);
    });
  }

  test("entries come back in order, from any cursor, then done with the outcome", async () => {
    await using stores = await target.open();
    const logger = new JobLogger({ store: stores.writer });
    logger.log("first");
    logger.log("second", "success");
    logger.emit("page", { url: "https://example.com/ü", n: 3 });
    logger.log('line one\nline two "quoted" 😀', "warning");
    await logger.close();
    const all = await stores.reader.read(logger.jobId, 0);
    assert.ok(all);
    const events = all.entries.map((json) => JSON.parse(json));
    assert.deepEqual(events.map((e) => e.message ?? e.event), [
      "first",
      "second",
      "page",
      'line one\nline two "quoted" 😀',
    ]);
    assert.equal(events[2].url, "https://example.com/ü");
    assert.deepEqual([all.next, all.done, all.missed, all.outcome], [4, true, 0, {
      status: "ok",
    }]);
    const part = await stores.reader.read(logger.jobId, 1, 2);
    assert.deepEqual([part?.entries.length, part?.next, part?.done], [2, 3, false]);
    const past = await stores.reader.read(logger.jobId, 9);
    assert.deepEqual([past?.entries.length, past?.next, past?.done], [0, 4, true]);
    assert.equal(await stores.reader.read("no-such-job", 0), undefined);
  });

  test("a failed job's outcome reaches the reader", async () => {
    await using stores = await target.open();
    const logger = new JobLogger({ store: stores.writer });
    logger.log("working");
    await logger.fail(new Error("quota exceeded"));
    const result = await stores.reader.read(logger.jobId, 0);
    assert.deepEqual([result?.done, result?.outcome], [true, {
      status: "error",
      message: "quota exceeded",
    }]);
  });

  test("wait resolves on a new entry, on close and on abort", async () => {
    await using stores = await target.open();
    const logger = new JobLogger({ store: stores.writer });
    logger.log("zero");
    await logger.flush();
    await untilRead(stores.reader, logger.jobId, 1);
    const abort = new AbortController();
    const waiting = stores.reader.wait(logger.jobId, 1, abort.signal);
    logger.log("one");
    await within(waiting, "wait on a new entry");
    assert.deepEqual((await stores.reader.read(logger.jobId, 1))?.entries.length, 1);
    const closing = stores.reader.wait(logger.jobId, 2, new AbortController().signal);
    await logger.close();
    await within(closing, "wait on close");
    const end = await stores.reader.read(logger.jobId, 2);
    assert.deepEqual([end?.next, end?.done], [2, true]);
    const aborting = new AbortController();
    const other = new JobLogger({ store: stores.writer });
    await other.flush();
    const aborted = stores.reader.wait(other.jobId, 0, aborting.signal);
    aborting.abort();
    await within(aborted, "wait on abort");
    await other.close();
  });

  test("the reader's watch calls back on a new entry and on close", async () => {
    await using stores = await target.open();
    const watch = stores.reader.watch?.bind(stores.reader);
    if (watch === undefined) return;
    const logger = new JobLogger({ store: stores.writer });
    logger.log("zero");
    await logger.flush();
    await untilRead(stores.reader, logger.jobId, 1);
    const news = (cursor: number) =>
      new Promise<void>((resolve) => watch(logger.jobId, cursor, resolve));
    const entry = news(1);
    logger.log("one");
    await within(entry, "watch on a new entry");
    assert.deepEqual((await stores.reader.read(logger.jobId, 1))?.entries.length, 1);
    const end = news(2);
    await logger.close();
    await within(end, "watch on close");
    assert.deepEqual((await stores.reader.read(logger.jobId, 2))?.done, true);
  });

  test("the handler streams a job over SSE with ids, resumes and ends", async () => {
    await using stores = await target.open();
    const logs = createLogHandler({ prefix: "/log", store: stores.reader, heartbeatMs: 200 });
    await using server = serve(logs);
    const logger = new JobLogger({ store: stores.writer });
    logger.log("a");
    await logger.flush();
    await untilRead(stores.reader, logger.jobId, 1);
    await using sse = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`);
    const first = await sse.nextEvent();
    assert.deepEqual([first?.id, JSON.parse(first!.data).message], ["0", "a"]);
    logger.log("b");
    logger.log("c");
    await logger.close();
    const rest = await sse.readToEnd();
    assert.deepEqual(rest.map((e) => (e as { message?: string }).message ?? "(end)"), [
      "b",
      "c",
      "(end)",
    ]);
    await using resumed = await SseClient.open(`${server.url}/log/${logger.jobId}/stream`, "1");
    assert.deepEqual(
      (await resumed.readToEnd()).map((e) => (e as { message?: string }).message ?? "(end)"),
      ["c", "(end)"],
    );
  });

  test("results: stored, replaced, read back with done", async () => {
    await using stores = await target.open();
    if (stores.writer.setResult === undefined) return;
    const logger = new JobLogger({ store: stores.writer });
    logger.log("x");
    await stores.writer.setResult(logger.jobId, '{"rows":1}');
    await stores.writer.setResult(logger.jobId, '{"rows":2}');
    assert.deepEqual(await stores.reader.readResult?.(logger.jobId), {
      json: '{"rows":2}',
      done: false,
    });
    await logger.close();
    assert.deepEqual(await stores.reader.readResult?.(logger.jobId), {
      json: '{"rows":2}',
      done: true,
    });
    assert.equal(await stores.reader.readResult?.("no-such-job"), undefined);
  });

  test("a cancel from the reader's side aborts the writer's signal", async () => {
    await using stores = await target.open();
    if (stores.reader.cancel === undefined) return;
    const logger = new JobLogger({ store: stores.writer });
    logger.log("long job");
    await logger.flush();
    assert.equal(await stores.reader.cancel(logger.jobId), true);
    await within(
      new Promise<void>((resolve) => {
        if (logger.signal.aborted) resolve();
        logger.signal.addEventListener("abort", () => resolve());
      }),
      "the cancel reaching logger.signal",
    );
    await logger.close();
    assert.equal(await stores.reader.cancel("no-such-job"), false);
  });

  if (target.openBounded !== undefined) {
    const openBounded = target.openBounded;
    test("past maxEntries the oldest are dropped and a late reader is told how many", async () => {
      await using stores = await openBounded(10);
      const logger = new JobLogger({ store: stores.writer });
      for (let i = 0; i < 25; i++) logger.log(`entry ${i}`);
      await logger.close();
      const result = await stores.reader.read(logger.jobId, 0);
      assert.ok(result);
      assert.equal(result.missed, 15);
      assert.deepEqual(
        result.entries.map((json) => JSON.parse(json).message),
        Array.from({ length: 10 }, (_, i) => `entry ${i + 15}`),
      );
      assert.deepEqual([result.next, result.done], [25, true]);
    });
  }
}

/** Waits until the reader sees at least `count` entries (a shared store may lag its writer). */
async function untilRead(store: Store, jobId: string, count: number): Promise<void> {
  const deadline = Date.now() + NEWS_WITHIN_MS;
  while (Date.now() < deadline) {
    const result = await store.read(jobId, 0);
    if (result !== undefined && result.next >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`the reader did not see ${count} entries of ${jobId} within ${NEWS_WITHIN_MS} ms`);
}

async function within(promise: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing within 5 s`)), NEWS_WITHIN_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
