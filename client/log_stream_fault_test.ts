/**
 * The log stream through a proxy that cuts its connections mid-event, 25
 * times, in SSE and poll mode: what arrives is what was logged, in order,
 * with no gap and no duplicate.
 */
import assert from "node:assert/strict";
import { FaultProxy, latestRequest } from "../tests/support/fault_proxy.ts";
import { startJobServer } from "../tests/support/job_server.ts";
import { createLogStream, type LogStreamState } from "./log_stream.ts";

const CUTS = 25;

function finished(stream: ReturnType<typeof createLogStream>): Promise<LogStreamState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const { status, logs, error } = stream.getSnapshot();
      reject(new Error(`still ${status} (${error?.message}) after ${logs.length} entries`));
    }, 30_000);
    const check = () => {
      const state = stream.getSnapshot();
      if (state.status !== "done" && state.status !== "error") return;
      clearTimeout(timer);
      resolve(state);
    };
    stream.subscribe(check);
  });
}

const line = (i: number) => `entry ${i} ${"·".repeat(i % 37)}`;

Deno.test(`sse: ${CUTS} connections cut mid-event, the sequence arrives whole, once`, async () => {
  await using server = startJobServer();
  await using proxy = FaultProxy.start(server.url);
  const job = server.job();
  const logged = Array.from({ length: 800 }, (_, i) => line(i));
  for (const text of logged) job.log(text);
  await job.close();
  // Each of the next 25 stream responses is cut 1,501 bytes in: inside an event.
  proxy.cutNext(latestRequest(/\/stream /), 1_501, CUTS);
  const stream = createLogStream(`${proxy.url}/log/${job.jobId}/stream`);
  try {
    const state = await finished(stream);
    assert.equal(state.status, "done", String(state.error));
    assert.deepEqual(state.logs.map((e) => e.text), logged);
    const streams = server.requests.filter((r) => r.path.endsWith("/stream"));
    assert.equal(streams.length, CUTS + 1);
    // Each reconnect resumes after the last whole event it had: always further on.
    const ids = streams.slice(1).map((r) => Number(r.lastEventId));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], ids.join());
  } finally {
    stream.close();
  }
});

Deno.test(`poll: ${CUTS} answers cut mid-body while the job writes, the sequence arrives whole, once`, async () => {
  await using server = startJobServer();
  await using proxy = FaultProxy.start(server.url);
  const job = server.job();
  proxy.cutNext(latestRequest(/^GET \/log\/[\w-]+(\?from=\d+)? /), 300, CUTS);
  const stream = createLogStream(`${proxy.url}/log/${job.jobId}`, { mode: "poll", interval: 5 });
  const end = finished(stream);
  const logged: string[] = [];
  try {
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 8; i++) {
        logged.push(line(logged.length));
        job.log(logged.at(-1)!);
      }
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await job.close();
    const state = await end;
    assert.equal(state.status, "done", String(state.error));
    assert.deepEqual(state.logs.map((e) => e.text), logged);
    // A cut closes its connection: at least 25 were cut.
    assert.ok(proxy.connections.length > CUTS, `${proxy.connections.length} connections`);
  } finally {
    stream.close();
  }
});
