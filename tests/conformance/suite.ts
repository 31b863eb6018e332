/**
 * The conformance suite: HTTP-level checks of the log handler, written once
 * and run against every runtime's server (see `run.ts` and the `*_test.ts`
 * files beside it). Every server mounts
 * `createLogHandler({ prefix: "/log", heartbeatMs })` and starts the demo
 * job of `examples/demo_job.ts` on `POST /jobs?count=N&delayMs=D`.
 */
import assert from "node:assert/strict";
import { SseClient } from "../support/sse_client.ts";

/** What the suite needs to know about a server under test. */
export interface Target {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The heartbeatMs the server's handler was created with. */
  heartbeatMs: number;
  /**
   * Whether a framework answers methods the route does not export (Next.js),
   * so a 405 does not come from the handler and has no JSON body.
   */
  frameworkAnswers405?: boolean;
}

/** One check: a name and what it does against a target. */
export interface Check {
  name: string;
  run(target: Target): Promise<void>;
}

/** Starts a demo job of `count` lines `delayMs` apart; resolves to its id. */
export async function startJob(target: Target, count: number, delayMs = 0): Promise<string> {
  const response = await fetch(`${target.url}/jobs?count=${count}&delayMs=${delayMs}`, {
    method: "POST",
  });
  assert.equal(response.status, 200, `POST /jobs answered ${response.status}`);
  const body = await response.json();
  assert.equal(typeof body.log_job_id, "string");
  return body.log_job_id;
}

/** The snapshot of a job, waiting (bounded) until it is done. */
async function finishedSnapshot(target: Target, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const body = await (await fetch(`${target.url}/log/${jobId}`)).json();
    if (body.done) return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function expectError(response: Response, status: number, pattern?: RegExp) {
  assert.equal(response.status, status);
  assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
  const body = await response.json();
  assert.equal(typeof body.error, "string");
  if (pattern) assert.match(body.error, pattern);
}

const messages = (events: Record<string, unknown>[]) => events.map((e) => e.message);

/** Every check, in the order they run. */
export const CHECKS: Check[] = [
  {
    name: "a stream sends retry, every entry with its id, done with the end as its id, then ends",
    async run(target) {
      const jobId = await startJob(target, 3);
      await using client = await SseClient.open(`${target.url}/log/${jobId}/stream`);
      assert.match(client.response.headers.get("Content-Type") ?? "", /^text\/event-stream/);
      assert.deepEqual(await client.next(), { kind: "retry", ms: 1000 });
      const items = [];
      for (let i = 0; i < 4; i++) items.push(await client.nextEvent());
      assert.deepEqual(items.map((item) => item?.id), ["0", "1", "2", "3"]);
      const events = items.map((item) => JSON.parse(item!.data));
      assert.deepEqual(messages(events.slice(0, 3)), [
        "step 1 of 3",
        "step 2 of 3",
        "step 3 of 3",
      ]);
      assert.deepEqual(events.map((e) => e.level), ["info", "info", "success", undefined]);
      for (const event of events.slice(0, 3)) {
        assert.deepEqual(Object.keys(event), ["event", "message", "level", "t"]);
        assert.equal(event.event, "log");
        assert.equal(typeof event.t, "number");
      }
      assert.deepEqual(events[3], { event: "done" });
      assert.equal(await client.ended(), true, "the response closes after done");
      const again = await fetch(`${target.url}/log/${jobId}/stream`, {
        headers: { "Last-Event-ID": "3" },
      });
      assert.equal(again.status, 204, "a reconnect after done is told to stop");
      await again.body?.cancel();
    },
  },
  {
    name: "a live job's entries arrive as they are logged, heartbeats between, then done",
    async run(target) {
      // Five heartbeats apart, so a loaded machine still shows one between entries.
      const jobId = await startJob(target, 4, target.heartbeatMs * 5);
      await using client = await SseClient.open(`${target.url}/log/${jobId}/stream`);
      const seen: string[] = [];
      for (let i = 0; i < 1_000 && seen.at(-1) !== "done"; i++) {
        const item = await client.next(10_000);
        assert.ok(item, `the stream ended early after ${seen}`);
        if (item.kind === "comment") seen.push(item.text);
        if (item.kind === "event") {
          const data = JSON.parse(item.data);
          seen.push(data.message ?? data.event);
        }
      }
      const entries = seen.filter((text) => text !== "ping");
      assert.deepEqual(entries, [1, 2, 3, 4].map((i) => `step ${i} of 4`).concat("done"));
      const between = seen.slice(seen.indexOf("step 1 of 4"), seen.indexOf("step 4 of 4"));
      assert.ok(between.includes("ping"), `no heartbeat between entries: ${seen}`);
      assert.equal(await client.ended(), true);
    },
  },
  {
    name: "Last-Event-ID resumes right after the given entry",
    async run(target) {
      const jobId = await startJob(target, 5);
      await finishedSnapshot(target, jobId);
      await using client = await SseClient.open(`${target.url}/log/${jobId}/stream`, "2");
      const events = await client.readToEnd(100);
      assert.deepEqual(messages(events), ["step 4 of 5", "step 5 of 5", undefined]);
      assert.equal(client.lastEventId, "5");
    },
  },
  {
    name: "?lastEventId= resumes like the header",
    async run(target) {
      const jobId = await startJob(target, 5);
      await finishedSnapshot(target, jobId);
      await using client = await SseClient.open(`${target.url}/log/${jobId}/stream?lastEventId=3`);
      assert.deepEqual(messages(await client.readToEnd(100)), ["step 5 of 5", undefined]);
    },
  },
  {
    name: "a reader that drops mid-job and reconnects gets every entry exactly once",
    async run(target) {
      const jobId = await startJob(target, 6, 40);
      const url = `${target.url}/log/${jobId}/stream`;
      const first = await SseClient.open(url);
      let seen: Record<string, unknown>[];
      let lastId: string | undefined;
      try {
        seen = await first.take(2);
        lastId = first.lastEventId;
      } finally {
        await first.cancel();
      }
      assert.equal(lastId, "1");
      await using second = await SseClient.open(url, lastId);
      seen.push(...await second.readToEnd(100));
      assert.deepEqual(
        messages(seen),
        [1, 2, 3, 4, 5, 6].map((i) => `step ${i} of 6`).concat([
          undefined as unknown as string,
        ]),
      );
    },
  },
  {
    name: "an idle stream sends heartbeat comments",
    async run(target) {
      const jobId = await startJob(target, 1, target.heartbeatMs * 20);
      await using client = await SseClient.open(`${target.url}/log/${jobId}/stream`);
      const before: string[] = [];
      for (let i = 0; i < 1_000; i++) {
        const item = await client.next(10_000);
        assert.ok(item, "the stream ended early");
        if (item.kind === "event") break;
        if (item.kind === "comment") before.push(item.text);
      }
      assert.ok(before.includes("ping"), `no ": ping" before the first entry: ${before}`);
      assert.deepEqual(messages(await client.readToEnd(100, 10_000)), [undefined]);
    },
  },
  {
    name: "a snapshot returns logs (ending with done), done and next; ?from=N and ?after=N",
    async run(target) {
      const jobId = await startJob(target, 5);
      const all = await finishedSnapshot(target, jobId);
      assert.equal(all.done, true);
      assert.equal(all.next, 5);
      assert.deepEqual(
        messages(all.logs),
        [1, 2, 3, 4, 5].map((i) => `step ${i} of 5`).concat([
          undefined as unknown as string,
        ]),
      );
      assert.deepEqual(all.logs.at(-1), { event: "done" });
      const response = await fetch(`${target.url}/log/${jobId}?from=3`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/);
      const tail = await response.json();
      assert.deepEqual(messages(tail.logs), ["step 4 of 5", "step 5 of 5", undefined]);
      assert.deepEqual([tail.done, tail.next], [true, 5]);
      const after = await (await fetch(`${target.url}/log/${jobId}?after=3`)).json();
      assert.deepEqual(messages(after.logs), ["step 5 of 5", undefined]);
      const empty = await (await fetch(`${target.url}/log/${jobId}?from=5`)).json();
      assert.deepEqual(empty, { logs: [{ event: "done" }], done: true, next: 5, status: "ok" });
    },
  },
  {
    name: "a snapshot of a running job says done: false",
    async run(target) {
      const jobId = await startJob(target, 2, target.heartbeatMs * 20);
      const body = await (await fetch(`${target.url}/log/${jobId}`)).json();
      assert.deepEqual(body, { logs: [], done: false, next: 0 });
    },
  },
  {
    name: "an unknown or malformed job id is a 404 JSON error",
    async run(target) {
      await expectError(await fetch(`${target.url}/log/no-such-job/stream`), 404, /unknown job/);
      await expectError(await fetch(`${target.url}/log/no-such-job`), 404, /unknown job/);
      await expectError(await fetch(`${target.url}/log/bad.id`), 404);
    },
  },
  {
    name: "a malformed cursor is a 400 JSON error naming it",
    async run(target) {
      const jobId = await startJob(target, 1);
      await expectError(await fetch(`${target.url}/log/${jobId}?after=abc`), 400, /after/);
      await expectError(
        await fetch(`${target.url}/log/${jobId}/stream`, { headers: { "Last-Event-ID": "-1" } }),
        400,
        /Last-Event-ID/,
      );
      await expectError(
        await fetch(`${target.url}/log/${jobId}/stream?lastEventId=x`),
        400,
        /lastEventId/,
      );
    },
  },
  {
    name: "HEAD answers a snapshot's and a stream's status and headers without a body",
    async run(target) {
      const jobId = await startJob(target, 1);
      const snapshot = await fetch(`${target.url}/log/${jobId}`, { method: "HEAD" });
      assert.equal(snapshot.status, 200);
      assert.match(snapshot.headers.get("Content-Type") ?? "", /^application\/json/);
      assert.equal(await snapshot.text(), "");
      const stream = await fetch(`${target.url}/log/${jobId}/stream`, { method: "HEAD" });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get("Content-Type") ?? "", /^text\/event-stream/);
      assert.equal(await stream.text(), "");
      const missing = await fetch(`${target.url}/log/no-such-job`, { method: "HEAD" });
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    },
  },
  {
    name: "another method is a 405",
    async run(target) {
      const jobId = await startJob(target, 1);
      for (const path of [`/log/${jobId}/stream`, `/log/${jobId}`]) {
        const response = await fetch(`${target.url}${path}`, { method: "POST", body: "x" });
        if (target.frameworkAnswers405) {
          assert.equal(response.status, 405);
          await response.body?.cancel();
        } else {
          assert.match(response.headers.get("Allow") ?? "", /GET/);
          await expectError(response, 405, /method not allowed/);
        }
      }
    },
  },
];

/** Runs every check as a step of `t` against `target`. */
export async function runChecks(t: Deno.TestContext, target: Target): Promise<void> {
  for (const check of CHECKS) {
    await t.step(check.name, () => check.run(target));
  }
}
