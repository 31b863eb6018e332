/**
 * The log stream without React or a DOM, over real HTTP: this project's
 * handler, and the actions and options.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { startJobServer } from "../tests/support/job_server.ts";
import { serve } from "../tests/support/serve.ts";
import { createLogStream, type LogStream } from "./log_stream.ts";
import { answering, ended, open, sse, texts, until } from "../tests/support/log_stream_client.ts";

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: this project's handler, live and backlog, every entry once, then done`, async () => {
    await using server = startJobServer();
    const job = server.job();
    job.log("first");
    job.log("second", "success");
    const url = mode === "sse" ? server.streamUrl(job.jobId) : server.pollUrl(job.jobId);
    using stream = open(url, { mode, interval: 20 });
    assert.equal(stream.getSnapshot().status, "connecting");
    await until(stream, (s) => s.logs.length === 2 && s.status === "open");
    for (let i = 0; i < 50; i++) job.log(`live ${i}`, i % 2 ? "info" : "warning");
    await job.close();
    const state = await until(stream, ended);
    assert.equal(state.status, "done");
    assert.equal(state.active, false);
    assert.deepEqual(state.outcome, { status: "ok" });
    assert.deepEqual(texts(state), [
      "first",
      "second",
      ...Array.from({ length: 50 }, (_, i) => `live ${i}`),
    ]);
    assert.equal(state.logs[1].level, "success");
    assert.equal(state.logs[2].level, "warning");
  });
}

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: this project's handler reports the job's outcome; a lost job is an error`, async () => {
    await using server = startJobServer();
    const failed = server.job();
    failed.log("working");
    await server.store.close(failed.jobId, { status: "error", message: "quota exceeded" });
    const lost = server.job();
    await server.store.close(lost.jobId, { status: "lost", message: "writer stopped" });
    const url = (id: string) => mode === "sse" ? server.streamUrl(id) : server.pollUrl(id);
    using a = open(url(failed.jobId), { mode, interval: 20 });
    const state = await until(a, ended);
    assert.equal(state.status, "done");
    assert.deepEqual(state.outcome, { status: "error", message: "quota exceeded" });
    assert.deepEqual(texts(state), ["working"]);
    using b = open(url(lost.jobId), { mode, interval: 20 });
    const gone = await until(b, ended);
    assert.equal(gone.status, "error");
    assert.deepEqual(gone.outcome, { status: "lost", message: "writer stopped" });
    assert.match(gone.error!.message, /the job was lost: writer stopped/);
  });
}

Deno.test("stop() closes the connection (idle); retry() resumes from the cursor", async () => {
  await using server = startJobServer();
  const job = server.job();
  job.log("a");
  using stream = open(server.streamUrl(job.jobId));
  await until(stream, (s) => s.logs.length === 1);
  stream.stop();
  const stopped = await until(stream, (s) => s.status === "idle");
  assert.equal(stopped.active, false);
  job.log("b");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.store.stats(job.jobId)!.waiting, 0, "nobody reads the job");
  stream.retry();
  await until(stream, (s) => s.status === "reconnecting" || s.status === "open");
  job.log("c");
  await job.close();
  const state = await until(stream, ended);
  assert.deepEqual(texts(state), ["a", "b", "c"]);
  const streams = server.requests.filter((r) => r.path.endsWith("/stream"));
  assert.deepEqual(streams.map((r) => r.lastEventId), [null, "0"]);
});

Deno.test("a bearer token from an async headers function, called on every (re)connect", async () => {
  const store = new MemoryStore();
  const handler = createLogHandler({
    store,
    retryMs: 10,
    authorize: (request) => request.headers.get("Authorization") === "Bearer good",
  });
  const cuts = new Set<ReadableStreamDefaultController>();
  await using server = serve(async (request) => {
    const response = await handler(request);
    if (!response?.body || response.status !== 200) return response;
    // Cut the first stream after its first bytes, so the reader reconnects.
    const reader = response.body.getReader();
    return new Response(
      new ReadableStream({
        async pull(controller) {
          cuts.add(controller);
          const { done, value } = await reader.read();
          if (done) return controller.close();
          controller.enqueue(value);
        },
        cancel: () => reader.cancel(),
      }),
      response,
    );
  });
  const job = new JobLogger({ store });
  job.log("secret");

  let calls = 0;
  using refused = open(`${server.url}/log/${job.jobId}/stream`, {
    headers: async () => {
      await Promise.resolve();
      return { Authorization: "Bearer bad" };
    },
  });
  const no = await until(refused, ended);
  assert.equal(no.status, "error");
  assert.match(no.error!.message, /answered 403/);
  assert.deepEqual(no.logs, []);

  using accepted = open(`${server.url}/log/${job.jobId}/stream`, {
    headers: async () => {
      calls++;
      await Promise.resolve();
      return { Authorization: "Bearer good" };
    },
  });
  await until(accepted, (s) => s.logs.length === 1);
  for (const controller of cuts) controller.close();
  cuts.clear();
  job.log("more");
  await job.close();
  const yes = await until(accepted, ended);
  assert.equal(yes.status, "done");
  assert.deepEqual(texts(yes), ["secret", "more"]);
  assert.ok(calls >= 2, `headers() was called ${calls} time(s)`);
});

Deno.test("a custom fetch and credentials are used for every request", async () => {
  await using server = answering(() => sse('data: {"message":"hi"}\n\ndata: {"event":"done"}\n\n'));
  const seen: RequestInit[] = [];
  using stream = open(`${server.url}/s`, {
    credentials: "include",
    fetch: (input, init) => {
      seen.push(init!);
      return fetch(input, init);
    },
  });
  await until(stream, ended);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].credentials, "include");
});

Deno.test("bad options are TypeErrors naming the option", () => {
  assert.throws(
    () => createLogStream("/x", { mode: "ws" as "sse" }),
    /mode must be "sse" or "poll"/,
  );
  assert.throws(() => createLogStream("/x", { interval: 0 }), /interval must be a positive/);
  assert.throws(
    () => createLogStream("/x", { heartbeatTimeout: -1 }),
    /heartbeatTimeout must be a positive/,
  );
});

Deno.test("a null url is an idle store: nothing is fetched, retry() and stop() change nothing", async () => {
  let calls = 0;
  const stream = createLogStream(null, {
    fetch: () => {
      calls++;
      return Promise.reject(new Error("not called"));
    },
  });
  const idle = stream.getSnapshot();
  assert.deepEqual(
    { ...idle, retry: undefined, stop: undefined },
    {
      logs: [],
      active: false,
      status: "idle",
      error: null,
      outcome: null,
      progress: null,
      retry: undefined,
      stop: undefined,
    },
  );
  const unsubscribe = stream.subscribe(() => {});
  stream.retry();
  stream.stop();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(calls, 0);
  assert.equal(stream.getSnapshot(), idle, "the same state object: nothing changed");
  unsubscribe();
  stream.close();
  assert.throws(() => createLogStream(42 as unknown as string), /url must be a string or null/);
});

Deno.test("the snapshot carries the store's retry and stop, and stays the same object until a change", async () => {
  await using server = answering(() => sse('data: {"message":"hi"}\n\ndata: {"event":"done"}\n\n'));
  using stream = open(`${server.url}/s`);
  const state = await until(stream, ended) as LogStream;
  assert.equal(state.retry, stream.retry);
  assert.equal(state.stop, stream.stop);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(stream.getSnapshot(), state, "no new state without a change");
  assert.deepEqual(texts(state), ["hi"]);
});
