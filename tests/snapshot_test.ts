/**
 * The snapshot route over real HTTP: `?from=` / `?after=` cursors, a
 * finished job's `logs` ending with its `done` event and outcome, and a
 * client of the `{ logs }` poll format that stops on it.
 */
import assert from "node:assert/strict";
import { createLogHandler, MemoryStore } from "../mod.ts";
import { setup } from "./support/log_job.ts";
import { serve } from "./support/serve.ts";

Deno.test("GET {prefix}/{jobId} is { logs, done, next }; ?from=N gives ids >= N, ?after=N ids > N", async () => {
  const { server, logger } = setup();
  await using _ = server;
  logger.log("a");
  logger.emit("page_loaded", { url: "https://example.com" });
  logger.log("c", "error");
  const all = await (await fetch(`${server.url}/log/${logger.jobId}`)).json();
  assert.deepEqual(all.logs.map((e: { event: string }) => e.event), ["log", "page_loaded", "log"]);
  assert.equal(all.logs[1].url, "https://example.com");
  assert.equal(all.done, false);
  assert.equal(all.next, 3);
  const after = await (await fetch(`${server.url}/log/${logger.jobId}?after=0`)).json();
  assert.deepEqual(after.logs.map((e: { event: string }) => e.event), ["page_loaded", "log"]);
  const from = await (await fetch(`${server.url}/log/${logger.jobId}?from=1`)).json();
  assert.deepEqual(from, after);

  logger.log("d", "success");
  await logger.close();
  const response = await fetch(`${server.url}/log/${logger.jobId}?from=${all.next}`);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  const rest = await response.json();
  assert.deepEqual(rest.logs.map((e: { message?: string }) => e.message), ["d", undefined]);
  assert.deepEqual(rest.logs.at(-1), { event: "done" }, "a finished job's logs end with done");
  assert.equal(rest.done, true);
  assert.equal(rest.status, "ok");
  assert.equal(rest.next, 4);
  const none = await (await fetch(`${server.url}/log/${logger.jobId}?from=4`)).json();
  assert.deepEqual(none, { logs: [{ event: "done" }], done: true, next: 4, status: "ok" });
  const past = await (await fetch(`${server.url}/log/${logger.jobId}?after=9`)).json();
  assert.deepEqual(past, none, "any cursor at or past the end of a finished job reads its end");
});

Deno.test("a cursor past the end of a running job, or from with after, is 400", async () => {
  const { server, logger } = setup();
  await using _ = server;
  logger.log("a");
  const base = `${server.url}/log/${logger.jobId}`;
  assert.deepEqual(await (await fetch(`${base}?from=1`)).json(), {
    logs: [],
    done: false,
    next: 1,
  });
  assert.deepEqual(await (await fetch(`${base}?after=0`)).json(), {
    logs: [],
    done: false,
    next: 1,
  });
  for (
    const [query, error] of [
      ["from=2", "from 2 is past the end of the job's log; its next entry id is 1"],
      ["after=1", "after 1 is past the end of the job's log; its next entry id is 1"],
      ["from=0&after=0", "pass from or after, not both"],
    ]
  ) {
    const response = await fetch(`${base}?${query}`);
    assert.equal(response.status, 400, query);
    assert.deepEqual(await response.json(), { error }, query);
  }
  await logger.close();
});

Deno.test("a client of the { logs } poll format (logs.slice(seen), stop on done) stops", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const url = `${server.url}/log/${logger.jobId}`;
  const shown: string[] = [];
  let seen = 0;
  let stopped = false;
  let polls = 0;
  logger.log("starting");
  for (; polls < 50 && !stopped; polls++) {
    const { logs } = await (await fetch(url)).json();
    for (const entry of logs.slice(seen)) {
      if (entry.event === "done") stopped = true;
      else shown.push(entry.message);
    }
    seen = logs.length;
    if (polls === 1) logger.log("working");
    if (polls === 2) {
      logger.log("finished", "success");
      await logger.close();
    }
  }
  assert.equal(stopped, true, "the client saw the done entry");
  assert.deepEqual(shown, ["starting", "working", "finished"]);
  assert.equal(polls, 4, "it stopped on the first poll after the job ended");
});

Deno.test("a finished job's snapshot carries its outcome in the done entry and beside it", async () => {
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store }));
  store.create("failed-job");
  store.append("failed-job", '{"event":"log","message":"x","level":"error","t":0}');
  await store.close("failed-job", { status: "error", message: "quota exceeded" });
  const body = await (await fetch(`${server.url}/log/failed-job`)).json();
  assert.deepEqual(body.logs.at(-1), {
    event: "done",
    status: "error",
    message: "quota exceeded",
  });
  assert.equal(body.status, "error");
  assert.equal(body.message, "quota exceeded");
  // Bounded: a stream that never ends fails here instead of hanging.
  const streamed = await fetch(`${server.url}/log/failed-job/stream`, {
    signal: AbortSignal.timeout(10_000),
  });
  const stream = await streamed.text();
  assert.match(
    stream,
    /data: \{"event":"done","status":"error","message":"quota exceeded"\}\nid: 1\n\n$/,
  );
});

Deno.test("a poller behind the entry cap is told how many entries it missed", async () => {
  const { server, logger } = setup({ store: new MemoryStore({ maxEntries: 2 }) });
  await using _ = server;
  for (let i = 0; i < 5; i++) logger.log(`m${i}`);
  const body = await (await fetch(`${server.url}/log/${logger.jobId}`)).json();
  assert.equal(body.missed, 3);
  assert.deepEqual(body.logs.map((e: { message: string }) => e.message), ["m3", "m4"]);
  const behind = await (await fetch(`${server.url}/log/${logger.jobId}?from=1`)).json();
  assert.equal(behind.missed, 2);
  await logger.close();
});
