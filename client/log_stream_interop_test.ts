/**
 * The log stream reads other backends' shapes over real HTTP: an SSE source
 * without ids, a poll endpoint answering only `{ logs }`, outcomes, and a
 * 204 to a reconnect.
 */
import assert from "node:assert/strict";
import { serve } from "../tests/support/serve.ts";
import { answering, ended, open, sse, texts, until } from "../tests/support/log_stream_client.ts";

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
