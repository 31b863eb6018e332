/**
 * The stream's `progress` over real HTTP, SSE and poll: it follows the job's
 * progress entries, which are no rows unless `formatEvent` asks for them,
 * a late reader gets the newest one even when the store dropped it, and
 * connections cut mid-event neither lose the last value nor go back.
 */
import assert from "node:assert/strict";
import { makeFormatEvent } from "./format_event.ts";
import { FaultProxy, latestRequest } from "../tests/support/fault_proxy.ts";
import { startJobServer } from "../tests/support/job_server.ts";
import { ended, open, texts, until } from "../tests/support/log_stream_client.ts";
import { toProgress } from "./progress_state.ts";

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: progress follows the job; progress entries are no rows by default`, async () => {
    await using server = startJobServer();
    const job = server.job();
    const url = mode === "sse" ? server.streamUrl(job.jobId) : server.pollUrl(job.jobId);
    using stream = open(url, { mode, interval: 20 });
    assert.equal(stream.getSnapshot().progress, null);
    job.log("start");
    job.progress(1, 3, "files");
    await until(stream, (s) => s.progress?.done === 1);
    assert.deepEqual(stream.getSnapshot().progress, { done: 1, total: 3, label: "files" });
    job.progress(3, 3, "files");
    job.log("end");
    await job.close();
    const state = await until(stream, ended);
    assert.deepEqual(state.progress, { done: 3, total: 3, label: "files" });
    assert.deepEqual(texts(state), ["start", "end"]);
  });

  Deno.test(`${mode}: a late reader gets the newest progress the store dropped`, async () => {
    await using server = startJobServer({ maxEntries: 5 });
    const job = server.job();
    job.progress(17, 40);
    for (let i = 0; i < 20; i++) job.log(`line ${i}`);
    const url = mode === "sse" ? server.streamUrl(job.jobId) : server.pollUrl(job.jobId);
    using stream = open(url, { mode, interval: 20 });
    const state = await until(stream, (s) => s.logs.length >= 6);
    assert.deepEqual(state.progress, { done: 17, total: 40 });
    assert.equal(state.logs.at(-1)!.text, "line 19");
    await job.close();
  });
}

Deno.test("sse: formatEvent that labels progress makes its entries rows", async () => {
  await using server = startJobServer();
  const job = server.job();
  const formatEvent = makeFormatEvent({ progress: (e) => `${e.done} of ${e.total}` });
  using stream = open(server.streamUrl(job.jobId), { formatEvent });
  job.progress(2, 5);
  await job.close();
  const state = await until(stream, ended);
  assert.deepEqual(texts(state), ["2 of 5"]);
  assert.deepEqual(state.progress, { done: 2, total: 5 });
});

Deno.test("toProgress keeps a usable done; a bad total counts as unknown", () => {
  assert.deepEqual(toProgress({ event: "progress", done: 2, total: 0, label: 3 }), { done: 2 });
  assert.equal(toProgress({ event: "progress", done: -1 }), undefined);
  assert.equal(toProgress({ event: "progress", done: "2" }), undefined);
});

Deno.test("poll: the answer's progress field makes no row, and an unchanged one no new state", async () => {
  await using server = startJobServer();
  const job = server.job();
  const formatEvent = makeFormatEvent({ progress: (e) => `${e.done} of ${e.total}` });
  job.progress(2, 5);
  job.log("working");
  using stream = open(server.pollUrl(job.jobId), { mode: "poll", interval: 20, formatEvent });
  const first = await until(stream, (s) => s.logs.length === 2);
  assert.deepEqual(texts(first), ["2 of 5", "working"]);
  // Polls that bring nothing new change nothing.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(stream.getSnapshot(), first);
  await job.close();
  assert.deepEqual(texts(await until(stream, ended)), ["2 of 5", "working"]);
});

Deno.test("sse: connections cut mid-event while the job reports progress: it ends on the last value", async () => {
  await using server = startJobServer();
  await using proxy = FaultProxy.start(server.url);
  const job = server.job();
  // Each of the next 10 stream responses is cut 700 bytes in.
  proxy.cutNext(latestRequest(/\/stream /), 700, 10);
  using stream = open(`${proxy.url}/log/${job.jobId}/stream`);
  const seen: number[] = [];
  const unsubscribe = stream.subscribe(() => {
    const done = stream.getSnapshot().progress?.done;
    if (done !== undefined && done !== seen.at(-1)) seen.push(done);
  });
  for (let i = 1; i <= 40; i++) {
    job.log(`step ${i} ${"·".repeat(i % 23)}`);
    job.progress(i, 40, "steps");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await job.close();
  const state = await until(stream, ended);
  unsubscribe();
  assert.equal(state.status, "done", String(state.error));
  assert.deepEqual(state.progress, { done: 40, total: 40, label: "steps" });
  assert.equal(state.logs.length, 40);
  const streams = server.requests.filter((r) => r.path.endsWith("/stream")).length;
  assert.ok(streams >= 3, `${streams} stream requests: the cuts made it reconnect`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `never back: ${seen.join()}`);
});
