/**
 * The Durable Object store (`@streamator/core/cloudflare`) in workerd through
 * miniflare: two Worker scripts share one namespace of `JobLogObject`s with
 * SQLite storage (tests/support/job_log_workers.ts). Jobs run in one request
 * of the writer Worker (`ctx.waitUntil`), and readers stream from other
 * requests, on the writer Worker and on the reader Worker, over real HTTP.
 */
import assert from "node:assert/strict";
import { STORE_CONTRACT } from "./support/store_checks.ts";
import { type JobLogWorkers, startJob, startJobLogWorkers } from "./support/job_log_workers.ts";
import { SseClient } from "./support/sse_client.ts";
import { FaultProxy, latestRequest } from "./support/fault_proxy.ts";

const HEARTBEAT_MS = "200";

/** The messages of `count` entries as the test Worker logs them. */
const entries = (count: number) => Array.from({ length: count }, (_, i) => `entry ${i + 1}`);

/** The events of a whole stream, without their times. */
async function streamToEnd(url: string, lastEventId?: string) {
  await using client = await SseClient.open(url, lastEventId);
  // Heartbeats keep a stream alive: a stream without its end by then is cut, failing the read.
  const timer = setTimeout(() => client.cancel(), 20_000);
  try {
    const events = await client.readToEnd(100_000, 10_000);
    return events.map(({ t: _t, ...rest }) => rest);
  } finally {
    clearTimeout(timer);
  }
}

const messages = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.event === "log").map((e) => e.message);

async function withWorkers(fn: (workers: JobLogWorkers) => Promise<void>) {
  await using workers = await startJobLogWorkers({ HEARTBEAT_MS });
  await fn(workers);
}

Deno.test("Durable Object store in workerd", async (t) => {
  await withWorkers(async (workers) => {
    for (const [name, _check] of Object.entries(STORE_CONTRACT)) {
      await t.step(`store contract: ${name}`, async () => {
        const response = await fetch(`${workers.writer}/contract/${encodeURIComponent(name)}`);
        const text = await response.text();
        assert.equal(response.status, 200, text);
        assert.equal(text, "ok");
      });
    }

    await t.step(
      "the object: a retried batch adds nothing twice; bad requests are 4xx",
      async () => {
        const raw = (route: string, init?: RequestInit) =>
          fetch(`${workers.writer}/raw/raw-job${route}`, init);
        const write = (body: unknown) =>
          raw("/write", { method: "POST", body: JSON.stringify(body) });
        const create = { leaseMs: 60_000, retentionMs: 60_000, maxEntries: 100 };
        const first = await write({ create, first: 0, entries: ['{"n":0}', '{"n":1}'] });
        assert.deepEqual(await first.json(), { known: true, next: 2, done: false, cancel: false });
        // The same batch again (its answer was lost), then one overlapping it: each entry once.
        await (await write({ create, first: 0, entries: ['{"n":0}', '{"n":1}'] })).body?.cancel();
        const overlap = await write({ first: 1, entries: ['{"n":1}', '{"n":2}'] });
        assert.deepEqual((await overlap.json()).next, 3);
        const read = await (await raw("/read?cursor=0")).json();
        assert.deepEqual(read, {
          entries: ['{"n":0}', '{"n":1}', '{"n":2}'],
          next: 3,
          done: false,
          missed: 0,
        });
        // A batch past the next id: entries in between would be missing.
        const gap = await write({ first: 5, entries: ['{"n":5}'] });
        assert.equal(gap.status, 409);
        assert.match((await gap.json()).error, /entries from 3 to 5 are missing/);
        for (
          const [body, message] of [
            [{ first: -1, entries: [] }, /first must be a non-negative integer/],
            [{ first: 3, entries: [1] }, /entries must be an array of strings/],
            [{ first: 3, entries: [], close: { status: "fine" } }, /outcome.status must be one of/],
          ] as const
        ) {
          const response = await write(body);
          assert.equal(response.status, 400);
          assert.match((await response.json()).error, message);
        }
        const cursor = await raw("/read?cursor=abc");
        assert.equal(cursor.status, 400);
        assert.match((await cursor.json()).error, /cursor must be a non-negative integer/);
        const method = await raw("/read", { method: "DELETE" });
        assert.equal(method.status, 405);
        await method.body?.cancel();
        const unknown = await fetch(`${workers.writer}/raw/raw-job/nothing`);
        assert.equal(unknown.status, 404);
        await unknown.body?.cancel();
      },
    );

    await t.step(
      "past maxEntries the oldest are dropped and a reader behind is told missed",
      async () => {
        const write = (body: unknown) =>
          fetch(`${workers.writer}/raw/raw-missed/write`, {
            method: "POST",
            body: JSON.stringify(body),
          });
        const create = { leaseMs: 60_000, retentionMs: 60_000, maxEntries: 3 };
        for (let n = 0; n < 5; n++) {
          const entry = JSON.stringify({ event: "log", message: `entry ${n + 1}` });
          await (await write({ create, first: n, entries: [entry] })).body?.cancel();
        }
        await (await write({ first: 5, entries: [], close: { status: "ok" } })).body?.cancel();
        const events = await streamToEnd(`${workers.reader}/log/raw-missed/stream`);
        assert.deepEqual(events, [
          { event: "missed", count: 2 },
          { event: "log", message: "entry 3" },
          { event: "log", message: "entry 4" },
          { event: "log", message: "entry 5" },
          { event: "done" },
        ]);
      },
    );

    await t.step(
      "a reader ahead of what the object stored waits for the writer's resend, then reads on",
      async () => {
        // Streams get a batch before the object stores it: if the object restarts in between, its
        // readers come back with ids it no longer has, and the writer sends that batch again.
        const raw = (route: string, init?: RequestInit) =>
          fetch(`${workers.writer}/raw/ahead-job${route}`, init);
        const write = async (body: unknown) => {
          const response = await raw("/write", { method: "POST", body: JSON.stringify(body) });
          assert.equal(response.status, 200, await response.text());
        };
        const log = (n: number) => JSON.stringify({ event: "log", message: `m${n}`, t: n });
        const create = { leaseMs: 60_000, retentionMs: 60_000, maxEntries: 100 };
        await write({ create, first: 0, entries: [0, 1, 2].map(log) });
        // A poll from id 5 stays at 5, rather than going back to 3 and reading 3 and 4 twice.
        const poll = await raw("/read?cursor=5");
        assert.deepEqual(await poll.json(), { entries: [], next: 5, done: false, missed: 0 });
        await using client = await SseClient.open(
          `${workers.writer}/raw/ahead-job/stream?lastEventId=4&heartbeatMs=${HEARTBEAT_MS}`,
        );
        await write({ first: 3, entries: [3, 4, 5, 6].map(log), close: { status: "ok" } });
        const events = await client.readToEnd(100, 10_000);
        assert.deepEqual(events.map((e) => e.message ?? e.event), ["m5", "m6", "done"]);
      },
    );

    await t.step("a job logs in one request; readers on both Workers stream it live", async () => {
      const jobId = await startJob(workers, "count=30&delayMs=20");
      await using live = await SseClient.open(`${workers.reader}/log/${jobId}/stream`);
      // The first entry arrives while the job still runs (it logs for 600 ms).
      const first = await live.nextEvent(5_000);
      assert.equal(first?.id, "0");
      const snapshot = await (await fetch(`${workers.writer}/log/${jobId}`)).json();
      assert.equal(snapshot.done, false, "the job had ended before its first entry was read");
      const [onWriter, onReader] = await Promise.all([
        streamToEnd(`${workers.writer}/log/${jobId}/stream`),
        streamToEnd(`${workers.reader}/log/${jobId}/stream`),
      ]);
      for (const events of [onWriter, onReader]) {
        assert.deepEqual(messages(events), entries(30));
        assert.deepEqual(events.at(-1), { event: "done" });
      }
      const rest = await live.readToEnd(1_000, 10_000);
      assert.deepEqual(rest.filter((e) => e.event === "log").length, 29);
      assert.deepEqual(rest.at(-1), { event: "done" });
      // Snapshots on the second Worker: from a cursor, with the end.
      const tail = await (await fetch(`${workers.reader}/log/${jobId}?from=27`)).json();
      assert.deepEqual(tail.logs.map((e: { message?: string }) => e.message), [
        "entry 28",
        "entry 29",
        "entry 30",
        undefined,
      ]);
      assert.equal(tail.done, true);
      assert.equal(tail.next, 30);
      assert.equal(tail.status, "ok");
      assert.equal((await fetch(`${workers.reader}/log/no-such-job?from=0`)).status, 404);
    });

    await t.step("resume after a connection cut mid-event: every entry exactly once", async () => {
      await using proxy = FaultProxy.start(workers.reader);
      const jobId = await startJob(workers, "count=40&delayMs=10");
      const streams = latestRequest(/\/stream/);
      proxy.cutNext(streams, 200, 3, "data: {");
      const seen: string[] = [];
      const ids: number[] = [];
      let lastEventId: string | undefined;
      let done: Record<string, unknown> | undefined;
      for (let attempt = 0; attempt < 10 && done === undefined; attempt++) {
        await using client = await SseClient.open(`${proxy.url}/log/${jobId}/stream`, lastEventId);
        try {
          for (;;) {
            const event = await client.nextEvent(10_000);
            if (event === undefined) break;
            const data = JSON.parse(event.data);
            if (data.event === "done") {
              done = data;
              break;
            }
            ids.push(Number(event.id));
            seen.push(data.message);
            lastEventId = event.id;
          }
        } catch (error) {
          if (!(error instanceof TypeError)) throw error; // a cut connection is a TypeError
        }
      }
      assert.ok(proxy.connections.length >= 4, `only ${proxy.connections.length} connections`);
      assert.deepEqual(done, { event: "done" });
      assert.deepEqual(ids, Array.from({ length: 40 }, (_, i) => i));
      assert.deepEqual(seen, entries(40));
    });

    await t.step("a reader that goes away stops waiting at the object", async () => {
      const jobId = await startJob(workers, "count=1&untilCancel=1");
      const waiting = async () =>
        (await (await fetch(`${workers.writer}/raw/${jobId}/stats`)).json()).waiting;
      /** Polls the object until `n` streams wait there (5 s at most); the last count seen. */
      const until = async (n: number) => {
        let seen = -1;
        for (let i = 0; i < 100 && seen !== n; i++) {
          seen = await waiting();
          if (seen !== n) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return seen;
      };
      const readers = await Promise.all(
        Array.from({ length: 5 }, () => SseClient.open(`${workers.reader}/log/${jobId}/stream`)),
      );
      for (const reader of readers) assert.equal((await reader.take(1, 5_000)).length, 1);
      assert.equal(await until(5), 5);
      for (const reader of readers.slice(0, 3)) await reader.cancel();
      assert.equal(await until(2), 2);
      for (const reader of readers.slice(3)) await reader.cancel();
      assert.equal(await until(0), 0);
      await (await fetch(`${workers.writer}/log/${jobId}/cancel`, { method: "POST" })).body
        ?.cancel();
    });

    await t.step("cancel from the second Worker reaches the job's logger.signal", async () => {
      const jobId = await startJob(workers, "count=2&untilCancel=1");
      await using live = await SseClient.open(`${workers.writer}/log/${jobId}/stream`);
      assert.equal((await live.take(2, 5_000)).length, 2);
      const cancel = await fetch(`${workers.reader}/log/${jobId}/cancel`, { method: "POST" });
      assert.equal(cancel.status, 202);
      assert.deepEqual(await cancel.json(), { cancelling: true });
      const rest = (await live.readToEnd(100, 10_000)).map(({ t: _t, ...e }) => e);
      assert.deepEqual(rest, [
        { event: "log", message: "stopping", level: "warning" },
        { event: "done", status: "cancelled" },
      ]);
      const again = await fetch(`${workers.reader}/log/${jobId}/cancel`, { method: "POST" });
      assert.deepEqual(await again.json(), { done: true, status: "cancelled" });
    });

    await t.step(
      "a writer that has heard the cancel sends no more requests than before",
      async () => {
        // The job goes on for 500 ms after the cancel: its lease renewal waits at the object.
        const jobId = await startJob(workers, "count=1&untilCancel=1&lingerMs=500");
        await using live = await SseClient.open(`${workers.writer}/log/${jobId}/stream`);
        await live.take(1, 5_000);
        await (await fetch(`${workers.reader}/log/${jobId}/cancel`, { method: "POST" })).body
          ?.cancel();
        const rest = await live.readToEnd(100, 10_000);
        const report = String(rest.find((e) => /^requests /.test(String(e.message)))?.message);
        const requests = Number(report.slice("requests ".length));
        // The first batch, its lease renewal, the renewal that brought the cancel, the one held
        // after it, and the "stopping" batch: a handful, not one per turn of the event loop.
        assert.ok(requests >= 3 && requests <= 8, report);
        assert.deepEqual(rest.at(-1), { event: "done", status: "cancelled" });
      },
    );

    await t.step("the result, read from either Worker", async () => {
      const result = { pages: 3, title: "ünïcode" };
      // The job waits for a cancel, then sets its result and ends.
      const jobId = await startJob(
        workers,
        `count=1&untilCancel=1&result=${encodeURIComponent(JSON.stringify(result))}`,
      );
      const pending = await fetch(`${workers.reader}/log/${jobId}/result`);
      assert.equal(pending.status, 202);
      assert.deepEqual(await pending.json(), { done: false });
      await (await fetch(`${workers.writer}/log/${jobId}/cancel`, { method: "POST" })).body
        ?.cancel();
      await streamToEnd(`${workers.reader}/log/${jobId}/stream`);
      for (const base of [workers.writer, workers.reader]) {
        const response = await fetch(`${base}/log/${jobId}/result`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), result);
      }
      const none = await startJob(workers, "count=1");
      await streamToEnd(`${workers.reader}/log/${none}/stream`);
      const empty = await fetch(`${workers.reader}/log/${none}/result`);
      assert.equal(empty.status, 204);
      await empty.body?.cancel();
    });

    await t.step("a writer whose request ends without close() is reported lost", async () => {
      const jobId = await startJob(workers, "count=3&close=0&leaseMs=600");
      const events = await streamToEnd(`${workers.reader}/log/${jobId}/stream`);
      assert.deepEqual(messages(events), entries(3));
      assert.deepEqual(events.at(-1), {
        event: "done",
        status: "lost",
        message: "the job's writer sent nothing for 600 ms and the job was ended",
      });
    });

    await t.step("retention: an alarm deletes the job's storage once it is over", async () => {
      const jobId = await startJob(workers, "count=2&retentionMs=800");
      const events = await streamToEnd(`${workers.reader}/log/${jobId}/stream`);
      assert.deepEqual(messages(events), entries(2));
      assert.equal((await fetch(`${workers.reader}/log/${jobId}`)).status, 200);
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const response = await fetch(`${workers.reader}/log/${jobId}`);
        status = response.status;
        await response.body?.cancel();
      }
      assert.equal(status, 404, "the job was still readable 5 s after its retention");
      const result = await fetch(`${workers.writer}/log/${jobId}/result`);
      assert.equal(result.status, 404);
      await result.body?.cancel();
    });

    await t.step("1,000 readers of one job each get every entry and the end", async () => {
      const jobId = await startJob(workers, "count=20&delayMs=100");
      const readers = await Promise.all(
        Array.from(
          { length: 1_000 },
          (_, i) =>
            SseClient.open(`${i % 2 ? workers.reader : workers.writer}/log/${jobId}/stream`),
        ),
      );
      try {
        const all = await Promise.all(readers.map((r) => r.readToEnd(1_000, 30_000)));
        for (const events of all) {
          assert.deepEqual(messages(events), entries(20));
          assert.deepEqual(events.at(-1), { event: "done" });
        }
      } finally {
        await Promise.all(readers.map((r) => r.cancel()));
      }
    });
  });
});

Deno.test("Durable Object store in workerd: after a restart, a job is read from SQLite and its gone writer is reported lost", async () => {
  const dir = await Deno.makeTempDir({ prefix: "streamator-do-" });
  try {
    let jobId: string;
    {
      await using workers = await startJobLogWorkers({ HEARTBEAT_MS }, dir);
      // A job that logs 5 entries, then waits for a cancel that never comes.
      jobId = await startJob(workers, "count=5&untilCancel=1&leaseMs=800");
      await using live = await SseClient.open(`${workers.reader}/log/${jobId}/stream`);
      assert.equal((await live.take(5, 5_000)).length, 5);
    } // workerd stops: the writer and the object's memory are gone
    await using workers = await startJobLogWorkers({ HEARTBEAT_MS }, dir);
    const snapshot = await (await fetch(`${workers.reader}/log/${jobId}`)).json();
    assert.deepEqual(snapshot.logs.map((e: { message: string }) => e.message), entries(5));
    assert.equal(snapshot.done, false);
    // Resumed after entry 2; the object ends the job once the lease, counted from its restart, runs out.
    const events = await streamToEnd(`${workers.reader}/log/${jobId}/stream`, "2");
    assert.deepEqual(events, [
      { event: "log", message: "entry 4", level: "info" },
      { event: "log", message: "entry 5", level: "info" },
      {
        event: "done",
        status: "lost",
        message: "the job's writer sent nothing for 800 ms and the job was ended",
      },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
