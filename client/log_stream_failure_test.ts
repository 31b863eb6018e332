/**
 * The log stream's failure rules over real HTTP: failures retrying cannot
 * mend stop with an error naming the cause; retryable ones are retried until
 * they recover or the retries run out.
 */
import assert from "node:assert/strict";
import { answering, ended, open, sse, texts, until } from "../tests/support/log_stream_client.ts";

const final: ["sse" | "poll", () => Response, string, RegExp][] = [
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
for (const [mode, answer, what, message] of final) {
  Deno.test(`${mode}: ${what} stops at once with an error naming it`, async () => {
    await using server = answering(answer);
    using stream = open(`${server.url}/log/x`, { mode, interval: 10 });
    const state = await until(stream, ended);
    assert.equal(state.status, "error");
    assert.equal(state.active, false);
    assert.match(state.error!.message, message);
    assert.ok(state.error!.message.includes(`${server.url}/log/x`), state.error!.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.calls(), 1, "no retry after a failure retrying cannot mend");
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
    /http:\/\/127\.0\.0\.1:\d+\/log\/z\/stream could not be reached/,
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

/** An answer whose body sends `first`, then nothing more, never closing (a connection left behind). */
function silentAfter(first: string, type: string): () => Response {
  return () =>
    new Response(
      new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(first)) }),
      { headers: { "Content-Type": type } },
    );
}

Deno.test("sse: a connection that sent heartbeats, silent for heartbeatTimeout, is replaced, resuming from its cursor", async () => {
  await using server = answering(
    silentAfter(': ping\n\nid: 0\ndata: {"message":"a"}\n\n', "text/event-stream"),
    () => sse('id: 1\ndata: {"message":"b"}\n\ndata: {"event":"done"}\n\n'),
  );
  using stream = open(`${server.url}/log/s/stream`, { heartbeatTimeout: 200 });
  const retrying = await until(stream, (s) => s.status === "reconnecting");
  assert.match(
    retrying.error!.message,
    /\/log\/s\/stream sent nothing for 200 ms, not even its heartbeat$/,
  );
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["a", "b"]);
  assert.equal(server.seen[1].get("Last-Event-ID"), "0");
});

Deno.test("poll: an answer that never finishes is given up after heartbeatTimeout and asked again", async () => {
  await using server = answering(
    silentAfter('{"logs":[', "application/json"),
    () => Response.json({ logs: [{ message: "a" }], done: true, next: 1 }),
  );
  // Long enough waits that "reconnecting" is committed before the next attempt.
  using stream = open(`${server.url}/log/p`, {
    mode: "poll",
    interval: 300,
    heartbeatTimeout: 200,
  });
  const retrying = await until(stream, (s) => s.status === "reconnecting");
  assert.match(retrying.error!.message, /\/log\/p sent nothing for 200 ms$/);
  const state = await until(stream, ended);
  assert.equal(state.status, "done");
  assert.deepEqual(texts(state), ["a"]);
});

Deno.test("a headers function that throws is retried, with an error naming options.headers and the url", async () => {
  await using server = answering(() => sse('data: {"message":"a"}\n\ndata: {"event":"done"}\n\n'));
  let calls = 0;
  using stream = open(`${server.url}/log/h/stream`, {
    headers: () => {
      if (calls++ === 0) throw new Error("session expired");
      return { Authorization: "Bearer fresh" };
    },
  });
  const retrying = await until(stream, (s) => s.status === "reconnecting");
  assert.match(
    retrying.error!.message,
    /^options\.headers failed for http:\/\/127\.0\.0\.1:\d+\/log\/h\/stream: session expired$/,
  );
  const state = await until(stream, ended);
  assert.deepEqual(texts(state), ["a"]);
  assert.equal(server.seen[0].get("Authorization"), "Bearer fresh");
});
