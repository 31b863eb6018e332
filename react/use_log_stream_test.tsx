/**
 * `useLogStream` over real HTTP: SSE and poll against this project's
 * handler and a plain `{ logs }` backend, resuming, gaps and failures.
 */
import assert from "node:assert/strict";
import { cleanup, waitFor } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { hook, pause, texts, WAIT } from "../tests/support/use_log_stream_hook.tsx";
import { startJobServer } from "../tests/support/job_server.ts";
import { serve } from "../tests/support/serve.ts";

Deno.test("SSE late join: entries logged before connecting arrive with the server's t", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  job.log("first");
  await pause(120);
  job.log("second", "success");
  job.emit("cache_hit", { key: "k" });
  job.log("third", "warning");
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    assert.equal(result.current.status, "connecting");
    assert.equal(result.current.active, true);
    await waitFor(() => assert.equal(result.current.logs.length, 3), WAIT);
    // The emitted event has no message: the default formatEvent drops it.
    assert.deepEqual(texts(result.current), ["first", "second", "third"]);
    assert.deepEqual(result.current.logs.map((e) => e.level), ["info", "success", "warning"]);
    const raw = (await server.store.read(job.jobId, 0))!.entries.map((j) => JSON.parse(j));
    const serverTimes = [raw[0].t, raw[1].t, raw[3].t].map((t: number) => `${t.toFixed(1)}s`);
    assert.deepEqual(result.current.logs.map((e) => e.t), serverTimes);
    assert.notEqual(serverTimes[0], serverTimes[1]);
    assert.equal(result.current.status, "open");
    assert.equal(result.current.active, true);
  } finally {
    cleanup();
    await job.close();
  }
});

Deno.test("SSE end of stream: done makes it inactive, with its outcome, and nothing reconnects", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    await waitFor(() => assert.equal(result.current.status, "open"), WAIT);
    job.log("working");
    job.log("Done", "success");
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.equal(result.current.active, false);
    assert.equal(result.current.error, null);
    assert.deepEqual(result.current.outcome, { status: "ok" });
    assert.deepEqual(texts(result.current), ["working", "Done"]);
    // The server suggests a 50 ms retry: wait well past it, still one request.
    await pause(400);
    assert.equal(server.requests.filter((r) => r.path.endsWith("/stream")).length, 1);
  } finally {
    cleanup();
  }
});

Deno.test("SSE reconnect: a dropped connection resumes with Last-Event-ID, no duplicates", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    for (let i = 0; i < 5; i++) job.log(`m${i}`);
    await waitFor(() => assert.equal(result.current.logs.length, 5), WAIT);
    server.cutStreams();
    for (let i = 5; i < 10; i++) job.log(`m${i}`);
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(texts(result.current), Array.from({ length: 10 }, (_, i) => `m${i}`));
    const streams = server.requests.filter((r) => r.path.endsWith("/stream"));
    assert.equal(streams.length, 2);
    assert.equal(streams[0].lastEventId, null);
    assert.equal(streams[1].lastEventId, "4");
  } finally {
    cleanup();
  }
});

Deno.test("SSE reconnect: entries a server replays are not shown twice", async () => {
  await using server = startJobServer({ ignoreLastEventId: true });
  using _dom = installDom();
  const job = server.job();
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    for (let i = 0; i < 5; i++) job.log(`m${i}`);
    await waitFor(() => assert.equal(result.current.logs.length, 5), WAIT);
    server.cutStreams();
    job.log("m5");
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(texts(result.current), ["m0", "m1", "m2", "m3", "m4", "m5"]);
  } finally {
    cleanup();
  }
});

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: entries the server dropped show as one warning, then the rest`, async () => {
    await using server = startJobServer({ maxEntries: 5 });
    using _dom = installDom();
    const job = server.job();
    for (let i = 0; i < 12; i++) job.log(`m${i}`);
    await job.close();
    try {
      const url = mode === "sse" ? server.streamUrl(job.jobId) : server.pollUrl(job.jobId);
      const { result } = hook(url, { mode, interval: 20 });
      await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
      assert.deepEqual(texts(result.current), [
        "… 7 entries are missing here (dropped by the server)",
        "m7",
        "m8",
        "m9",
        "m10",
        "m11",
      ]);
      assert.equal(result.current.logs[0].level, "warning");
    } finally {
      cleanup();
    }
  });
}

Deno.test("SSE error: an unknown job is a failure retrying cannot mend", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  try {
    const { result } = hook(server.streamUrl("no-such-job"));
    await waitFor(() => assert.equal(result.current.status, "error"), WAIT);
    assert.equal(result.current.active, false);
    assert.ok(result.current.error instanceof Error);
    assert.match(result.current.error.message, /no-such-job/);
    await pause(300);
    assert.equal(server.requests.length, 1, "no retry after a failure retrying cannot mend");
  } finally {
    cleanup();
  }
});

Deno.test("poll with the server's cursor: every entry once, one request at a time, stops at done", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  job.log("a");
  job.log("b");
  try {
    const { result } = hook(server.pollUrl(job.jobId), { mode: "poll", interval: 30 });
    await waitFor(() => assert.deepEqual(texts(result.current), ["a", "b"]), WAIT);
    job.log("c", "error");
    await waitFor(() => assert.equal(result.current.logs.length, 3), WAIT);
    job.log("d");
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.equal(result.current.active, false);
    assert.deepEqual(texts(result.current), ["a", "b", "c", "d"]);
    assert.equal(result.current.logs[2].level, "error");
    const polls = server.requests;
    assert.equal(polls[0].search.get("from"), null);
    assert.equal(polls[1].search.get("from"), "2");
    assert.equal(polls.at(-1)!.search.get("from"), "3");
    assert.equal(server.maxInFlight(), 1);
    const count = polls.length;
    await pause(200);
    assert.equal(server.requests.length, count, "no request after done");
  } finally {
    cleanup();
  }
});

Deno.test("poll a plain { logs } backend: diffs by length, stops at a done entry", async () => {
  const logs: Record<string, unknown>[] = [];
  const seen: string[] = [];
  await using server = serve((request) => {
    seen.push(new URL(request.url).search);
    return Response.json({ logs });
  });
  using _dom = installDom();
  logs.push({ event: "log", message: "one", level: "info", t: 0.5 });
  try {
    const { result } = hook(`${server.url}/jobs/1/log`, { mode: "poll", interval: 30 });
    await waitFor(() => assert.deepEqual(texts(result.current), ["one"]), WAIT);
    assert.equal(result.current.logs[0].t, "0.5s");
    logs.push({ event: "log", message: "two", level: "success" }, { message: "three" });
    await waitFor(() => assert.equal(result.current.logs.length, 3), WAIT);
    logs.push({ event: "done" });
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(texts(result.current), ["one", "two", "three"]);
    assert.match(result.current.logs[1].t, /^\d+\.\ds$/);
    assert.ok(seen.every((search) => search === ""), "no cursor for a backend that sends none");
  } finally {
    cleanup();
  }
});

Deno.test("poll errors: retryable ones are reported and retried with back-off, a 404 ends it", async () => {
  let calls = 0;
  const times: number[] = [];
  await using server = serve(() => {
    calls++;
    times.push(performance.now());
    if (calls <= 2) return Response.json({ error: "busy" }, { status: 503 });
    return Response.json({ logs: [{ message: "recovered" }], done: true });
  });
  using _dom = installDom();
  try {
    const { result } = hook(`${server.url}/log/x`, { mode: "poll", interval: 20 });
    await waitFor(() => assert.match(result.current.error?.message ?? "", /503: busy/), WAIT);
    assert.equal(result.current.status, "reconnecting");
    assert.equal(result.current.active, true);
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(texts(result.current), ["recovered"]);
    assert.equal(result.current.error, null);
    // Back-off: the wait after the second failure is longer than after the first.
    assert.ok(times[2] - times[1] > times[1] - times[0]);
  } finally {
    cleanup();
  }
  await using jobs = startJobServer();
  using _dom2 = installDom();
  try {
    const { result } = hook(jobs.pollUrl("no-such-job"), { mode: "poll", interval: 20 });
    await waitFor(() => assert.equal(result.current.status, "error"), WAIT);
    assert.match(result.current.error!.message, /404: unknown job/);
    assert.equal(result.current.active, false);
    await pause(150);
    assert.equal(jobs.requests.length, 1);
  } finally {
    cleanup();
  }
});

Deno.test("poll: unmounting aborts the request under way", async () => {
  let aborted = false;
  let started!: () => void;
  const began = new Promise<void>((resolve) => started = resolve);
  await using server = serve((request) => {
    started();
    return new Promise<Response>((resolve) => {
      request.signal.addEventListener("abort", () => {
        aborted = true;
        resolve(new Response(null, { status: 499 }));
      });
    });
  });
  using _dom = installDom();
  const { unmount } = hook(`${server.url}/log/x`, { mode: "poll", interval: 20 });
  await began;
  unmount();
  await waitFor(() => assert.ok(aborted), WAIT);
  cleanup();
});
