/**
 * When the log stream counts a connection as dead, a job as lost, or gives
 * up, over real HTTP: silence from a source that never sent a heartbeat is
 * normal; a reconnect answered with a valid event stream is a success; a job
 * the server forgot after it was open is lost; the give-up time is an option
 * and holds to within a second; each error names the url and the cause.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { FaultProxy, latestRequest } from "../tests/support/fault_proxy.ts";
import { startJobServer } from "../tests/support/job_server.ts";
import { answering, ended, open, sse, texts, until } from "../tests/support/log_stream_client.ts";
import { serve } from "../tests/support/serve.ts";

const encoder = new TextEncoder();

/** An SSE answer that sends `parts[0]`, then each next part `gapMs` later, then closes. */
function paced(gapMs: number, ...parts: string[]): () => Response {
  return () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Response(
      new ReadableStream({
        start(controller) {
          let i = 0;
          const next = () => {
            if (i === parts.length) return controller.close();
            controller.enqueue(encoder.encode(parts[i++]));
            timer = setTimeout(next, gapMs);
          };
          next();
        },
        cancel: () => clearTimeout(timer),
      }),
      { headers: { "Content-Type": "text/event-stream" } },
    );
  };
}

/** An SSE answer that sends `first` (maybe nothing) and then holds the connection open, silent. */
function silentAfter(first: string): () => Response {
  return () =>
    new Response(
      new ReadableStream({ start: (c) => first && c.enqueue(encoder.encode(first)) }),
      { headers: { "Content-Type": "text/event-stream" } },
    );
}

Deno.test("sse: a source with no ids and no heartbeats, silent for 10 heartbeatTimeouts, ends done with each entry once", async () => {
  await using server = answering(
    paced(1_000, "data: one\n\n", 'data: two\n\ndata: {"event":"done"}\n\n'),
  );
  using stream = open(`${server.url}/log/quiet/stream`, { heartbeatTimeout: 100 });
  const state = await until(stream, ended);
  assert.equal(state.status, "done", String(state.error));
  assert.deepEqual(texts(state), ["one", "two"]);
  assert.equal(
    server.calls(),
    1,
    "silence from a source without heartbeats is no reason to reconnect",
  );
});

Deno.test("sse: a reconnect answered with a valid event stream is a success: the failures before it no longer count", async () => {
  await using server = answering(
    // Heartbeats shown, then the connection goes silent: a failure.
    silentAfter(": ping\n\nid: 1\ndata: a\n\n"),
    // Answered with an event stream, which then goes silent too: a success, then a new failure.
    silentAfter(""),
    () => sse('id: 2\ndata: b\n\ndata: {"event":"done"}\n\n'),
  );
  // With one retry allowed, two failures in a row would end in an error.
  using stream = open(`${server.url}/log/r/stream`, { heartbeatTimeout: 200, maxRetries: 1 });
  const state = await until(stream, ended);
  assert.equal(state.status, "done", String(state.error));
  assert.deepEqual(texts(state), ["a", "b"]);
  assert.equal(server.calls(), 3);
});

/**
 * A job server whose memory store can be replaced by an empty one, as a
 * restart does, behind a fault proxy that drops the open connections then.
 */
function restartableServer() {
  let store = new MemoryStore();
  let handler = createLogHandler({ store, retryMs: 50 });
  const server = serve((request) => handler(request));
  const proxy = FaultProxy.start(server.url);
  return {
    url: proxy.url,
    job: () => new JobLogger({ store }),
    /** The server restarts with an empty store: every job it knew is forgotten. */
    restart() {
      store = new MemoryStore();
      handler = createLogHandler({ store, retryMs: 50 });
      proxy.cut(() => true);
    },
    async [Symbol.asyncDispose]() {
      await proxy[Symbol.asyncDispose]();
      await server[Symbol.asyncDispose]();
    },
  };
}

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: a job the server forgets mid-stream (a restart) ends lost, saying why, with nothing to retry`, async () => {
    await using server = restartableServer();
    const job = server.job();
    job.log("one");
    const url = mode === "sse"
      ? `${server.url}/log/${job.jobId}/stream`
      : `${server.url}/log/${job.jobId}`;
    using stream = open(url, { mode, interval: 20 });
    await until(stream, (s) => s.logs.length === 1);
    server.restart();
    const state = await until(stream, ended);
    assert.equal(state.status, "error");
    assert.deepEqual(texts(state), ["one"]);
    assert.equal(state.outcome?.status, "lost");
    assert.equal(
      state.outcome?.message,
      `${url} answered 404: unknown job. The server no longer knows this job: ` +
        "it restarted, or its store lives in one process",
    );
    assert.equal(state.error?.message, `the job was lost: ${state.outcome?.message}`);
    // The end is known: retry() does nothing.
    stream.retry();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stream.getSnapshot().status, "error");
    assert.equal(stream.getSnapshot().outcome?.status, "lost");
  });
}

Deno.test("a 410 for a job that was open is lost too; a 404 at the first connect stays an error without outcome", async () => {
  await using server = answering(
    silentAfter(": ping\n\nid: 0\ndata: a\n\n"),
    () => Response.json({ error: "expired" }, { status: 410 }),
  );
  using stream = open(`${server.url}/log/g/stream`, { heartbeatTimeout: 200 });
  const state = await until(stream, ended);
  assert.equal(state.outcome?.status, "lost");
  assert.match(
    state.outcome!.message!,
    /\/log\/g\/stream answered 410: expired\. The server no longer/,
  );

  await using unknown = answering(() => Response.json({ error: "unknown job" }, { status: 404 }));
  using first = open(`${unknown.url}/log/u/stream`);
  const refused = await until(first, ended);
  assert.equal(refused.outcome, null);
  assert.equal(refused.error?.message, `${unknown.url}/log/u/stream answered 404: unknown job`);
});

Deno.test("giveUpAfter: an unreachable server is an error after that long, to within a second", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const started = performance.now();
  using stream = open(`http://127.0.0.1:${port}/log/z/stream`, { giveUpAfter: 1_500 });
  const failed = await until(stream, ended);
  const ms = performance.now() - started;
  assert.equal(failed.status, "error");
  assert.match(
    failed.error!.message,
    /could not be reached: .* \(gave up after \d+ attempts in 1\.5 s\)$/,
  );
  assert.ok(ms >= 1_500 && ms < 2_500, `gave up after ${ms} ms`);
});

Deno.test("giveUpAfter holds while a server asks for a longer wait (Retry-After: 10)", async () => {
  await using server = answering(
    () => Response.json({ error: "busy" }, { status: 503, headers: { "Retry-After": "10" } }),
  );
  const started = performance.now();
  using stream = open(`${server.url}/log/b/stream`, { giveUpAfter: 1_000 });
  const failed = await until(stream, ended);
  const ms = performance.now() - started;
  assert.equal(failed.status, "error");
  assert.match(
    failed.error!.message,
    /\/log\/b\/stream answered 503: busy \(gave up after 1 attempts in 1 s\)$/,
  );
  assert.ok(ms >= 1_000 && ms < 2_000, `gave up after ${ms} ms`);
  assert.equal(server.calls(), 1);
});

Deno.test("options.giveUpAfter must be a positive number of ms", () => {
  assert.throws(
    () => open("/log/x/stream", { giveUpAfter: 0 }),
    new TypeError("options.giveUpAfter must be a positive number of ms"),
  );
});

Deno.test("sse: a connection cut mid-body is reported with the url and the cause in words", async () => {
  await using server = startJobServer();
  await using proxy = FaultProxy.start(server.url);
  const job = server.job();
  for (let i = 0; i < 200; i++) job.log(`entry ${i} ${"·".repeat(40)}`);
  proxy.cutNext(latestRequest(/\/stream /), 1_501, 1, "data: ");
  const url = `${proxy.url}/log/${job.jobId}/stream`;
  using stream = open(url, { maxRetries: 0 });
  const state = await until(stream, ended);
  assert.equal(state.status, "error");
  assert.ok(state.error!.message.startsWith(`${url} `), state.error!.message);
  assert.match(
    state.error!.message,
    / (dropped the connection while sending the log|closed the stream before its end)/,
  );
  await job.close();
});
