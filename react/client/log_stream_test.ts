/**
 * The log stream without React or a DOM, over real HTTP: this project's
 * handler, other backends' shapes, and the failure rules.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";
import { startJobServer } from "../../tests/support/job_server.ts";
import { serve } from "../../tests/support/serve.ts";
import { createLogStream, type LogStreamClient, type LogStreamState } from "./log_stream.ts";

/** Resolves with the state once `predicate` holds (bounded: rejects after `ms`, showing the state). */
function until(
  stream: LogStreamClient,
  predicate: (state: LogStreamState) => boolean,
  ms = 15_000,
): Promise<LogStreamState> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = stream.getSnapshot();
      if (!predicate(state)) return;
      clearTimeout(timer);
      queueMicrotask(unsubscribe);
      resolve(state);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      const { status, error, logs } = stream.getSnapshot();
      reject(new Error(`still ${status} (${error?.message}) with ${logs.length} entries`));
    }, ms);
    const unsubscribe = stream.subscribe(check);
    check();
  });
}

/** Opens a stream and keeps one listener on it; `using` closes it. */
function open(url: string, options?: Parameters<typeof createLogStream>[1]) {
  const stream = createLogStream(url, options);
  const unsubscribe = stream.subscribe(() => {});
  return Object.assign(stream, {
    [Symbol.dispose]() {
      unsubscribe();
      stream.close();
    },
  });
}

const texts = (state: LogStreamState) => state.logs.map((entry) => entry.text);
const ended = (state: LogStreamState) => state.status === "done" || state.status === "error";

/** A server answering each request with the next of `answers` (the last one repeats). */
function answering(...answers: (() => Response)[]) {
  let calls = 0;
  const seen: Headers[] = [];
  const server = serve((request) => {
    seen.push(new Headers(request.headers));
    return answers[Math.min(calls++, answers.length - 1)]();
  });
  return Object.assign(server, { seen, calls: () => calls });
}

const sse = (body: string, init: ResponseInit = {}) =>
  new Response(body, { ...init, headers: { "Content-Type": "text/event-stream" } });

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

Deno.test("sse: a source without ids (plain data: {json} events, then a done event), with a BOM", async () => {
  await using server = answering(() =>
    sse(
      '\uFEFFdata: {"message":"one","level":"info","t":0.5}\n\n' +
        ": a comment\r\n" +
        'data: {"message":"two",\r\ndata: "level":"success"}\r\n\r\n' +
        "data: not json\n\n" +
        'data: {"event":"done"}\n\n',
    )
  );
  using stream = open(`${server.url}/stream`);
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["one", "two", "not json"]);
  assert.equal(state.logs[0].t, "0.5s");
  assert.equal(state.logs[1].level, "success");
  assert.equal(server.calls(), 1);
  assert.equal(server.seen[0].get("Accept"), "text/event-stream");
  assert.equal(server.seen[0].get("Last-Event-ID"), null);
});

Deno.test("poll: a backend answering only { logs }, ending with a done entry", async () => {
  const logs: unknown[] = [{ event: "log", message: "one", level: "info", t: 1 }];
  const searches: string[] = [];
  await using server = serve((request) => {
    searches.push(new URL(request.url).search);
    const answer = Response.json({ logs: [...logs] });
    logs.push(
      logs.length < 4 ? { message: `n${logs.length}` } : { event: "done", status: "cancelled" },
    );
    return answer;
  });
  using stream = open(`${server.url}/log`, { mode: "poll", interval: 10 });
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["one", "n1", "n2", "n3"]);
  assert.deepEqual(state.outcome, { status: "cancelled" });
  assert.ok(searches.every((search) => search === ""), "no cursor for a backend that sends none");
});

Deno.test("sse: the done event's outcome; a lost job is an error that says so", async () => {
  await using server = answering(
    () =>
      sse(
        'data: {"message":"a"}\n\nid: 1\ndata: {"event":"done","status":"error","message":"quota"}\n\n',
      ),
  );
  using stream = open(`${server.url}/a`);
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(state.outcome, { status: "error", message: "quota" });
  assert.equal(state.error, null);

  await using lost = answering(() => sse('data: {"event":"done","status":"lost"}\n\n'));
  using stream2 = open(`${lost.url}/b`);
  const gone = await until(stream2, ended);
  assert.equal(gone.status, "error");
  assert.deepEqual(gone.outcome, { status: "lost" });
  assert.match(gone.error!.message, /the job was lost/);
  assert.equal(gone.active, false);
});

Deno.test("sse: a 204 to a reconnect means the stream had ended: done, no more requests", async () => {
  await using server = answering(
    () => sse('id: 0\ndata: {"message":"a"}\n\nid: 1\ndata: {"message":"b"}\n\nretry: 10\n\n'),
    () => new Response(null, { status: 204 }),
  );
  using stream = open(`${server.url}/s`);
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["a", "b"]);
  assert.equal(server.calls(), 2);
  assert.equal(server.seen[1].get("Last-Event-ID"), "1");
});

const definite: ["sse" | "poll", () => Response, string, RegExp][] = [
  [
    "sse",
    () =>
      new Response("<!doctype html><p>app</p>", {
        headers: { "Content-Type": "text/html" },
      }),
    "an HTML 200",
    /answered text\/html, not text\/event-stream/,
  ],
  [
    "poll",
    () =>
      new Response("<!doctype html><p>app</p>", {
        headers: { "Content-Type": "text/html" },
      }),
    "an HTML 200",
    /answered text\/html, not JSON/,
  ],
  [
    "poll",
    () =>
      new Response("{not json", {
        headers: { "Content-Type": "application/json" },
      }),
    "a body that is not JSON",
    /answered invalid JSON/,
  ],
  ["poll", () => Response.json({ items: [] }), "JSON without logs", /without a "logs" array/],
  [
    "sse",
    () => Response.json({ error: "unknown job x" }, { status: 404 }),
    "a 404",
    /404: unknown job x/,
  ],
  ["poll", () => new Response("gone", { status: 410 }), "a 410", /answered 410$/],
  ["sse", () => new Response("no", { status: 401 }), "a 401", /answered 401/],
];
for (const [mode, answer, what, message] of definite) {
  Deno.test(`${mode}: ${what} stops at once with an error naming it`, async () => {
    await using server = answering(answer);
    using stream = open(`${server.url}/log/x`, { mode, interval: 10 });
    const state = await until(stream, ended);
    assert.equal(state.status, "error");
    assert.equal(state.active, false);
    assert.match(state.error!.message, message);
    assert.ok(state.error!.message.includes(`${server.url}/log/x`), state.error!.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.calls(), 1, "no retry after a definite failure");
  });
}

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: a 500, a 429 and a 503 are retried ("reconnecting"), then it recovers`, async () => {
    const ok = mode === "sse"
      ? () => sse('data: {"message":"back"}\n\ndata: {"event":"done"}\n\n')
      : () => Response.json({ logs: [{ message: "back" }], done: true, next: 1 });
    await using server = answering(
      () => new Response("oops", { status: 500 }),
      () => Response.json({ error: "slow down" }, { status: 429, headers: { "Retry-After": "0" } }),
      () => Response.json({ error: "busy" }, { status: 503, headers: { "Retry-After": "0" } }),
      ok,
    );
    // Long enough waits that "reconnecting" is committed before the next attempt.
    using stream = open(`${server.url}/log/y`, { mode, interval: 300 });
    const statuses: string[] = [];
    stream.subscribe(() => statuses.push(stream.getSnapshot().status));
    const retrying = await until(stream, (s) => s.status === "reconnecting");
    assert.match(retrying.error!.message, /answered (500|429: slow down|503: busy)/);
    assert.equal(retrying.active, true);
    const state = await until(stream, ended);
    assert.equal(state.status, "done");
    assert.equal(state.error, null);
    assert.deepEqual(texts(state), ["back"]);
    assert.equal(server.calls(), 4);
    assert.ok(statuses.includes("reconnecting"), statuses.join());
  });
}

Deno.test("an unreachable port: reconnecting, then an error after maxRetries; retry() brings it back", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  using stream = open(`http://127.0.0.1:${port}/log/z/stream`, { maxRetries: 2 });
  const retrying = await until(stream, (s) => s.status === "reconnecting");
  assert.match(
    retrying.error!.message,
    /could not reach http:\/\/127\.0\.0\.1:\d+\/log\/z\/stream/,
  );
  const failed = await until(stream, ended);
  assert.equal(failed.status, "error");
  assert.equal(failed.active, false);
  assert.match(failed.error!.message, /gave up after 3 attempts/);
  // The server comes up on that port: retry() reads it.
  await using _server = (() => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port, onListen() {} },
      () => sse('data: {"message":"up"}\n\ndata: {"event":"done"}\n\n'),
    );
    return { [Symbol.asyncDispose]: () => server.shutdown() };
  })();
  stream.retry();
  assert.equal(stream.getSnapshot().status, "error", "commits on the next frame");
  await until(stream, (s) => s.status !== "error");
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["up"]);
});

Deno.test("by default an unreachable server is an error after about 30 s of failing, not a spinner for ever", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const started = performance.now();
  using stream = open(`http://127.0.0.1:${port}/log/z/stream`);
  const failed = await until(stream, ended, 60_000);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(failed.status, "error");
  assert.match(failed.error!.message, /could not reach .* \(gave up after \d+ attempts\)/);
  // It kept trying for the whole 30 s (and gave up within the 60 s bound above).
  assert.ok(seconds >= 30, `gave up after ${seconds} s`);
});

Deno.test("sse: an answer that closes at once, empty, every time, ends in an error (maxRetries)", async () => {
  await using server = answering(() => sse(""));
  using stream = open(`${server.url}/empty`, { maxRetries: 1 });
  const state = await until(stream, ended);
  assert.equal(state.status, "error");
  assert.match(
    state.error!.message,
    /closed the stream before its end \(gave up after 2 attempts\)/,
  );
  assert.equal(server.calls(), 2);
});

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
});
