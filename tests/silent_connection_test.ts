/**
 * A connection that goes silent without closing (a Wi-Fi switch, a NAT or
 * load balancer that forgets the flow, a laptop that slept): the old TCP
 * connection passes nothing more, new connections work. The server keeps
 * sending heartbeats (every second here), so a reader that has seen one can
 * tell that its stream died; the log must reconnect and reach the job's end,
 * not show `status: "open"` for ever with the last entries missing.
 *
 * The 40 s bound is not a speed goal: it only turns "waits for ever" into a
 * failure, with the state it was stuck in.
 */
import assert from "node:assert/strict";
import { createLogStream, type LogStreamState } from "../client/log_stream.ts";
import { FaultProxy } from "./support/fault_proxy.ts";
import { startJobServer } from "./support/job_server.ts";

const BOUND_MS = 40_000;
/** Two and a half of the job server's 1 s heartbeats: shorter than the client's 15 s default. */
const HEARTBEAT_TIMEOUT_MS = 2_500;

function finished(stream: ReturnType<typeof createLogStream>): Promise<LogStreamState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const { status, logs, error } = stream.getSnapshot();
      reject(
        new Error(
          `still "${status}" (${error?.message}) with ${logs.length} entries ${BOUND_MS} ms after its connection went silent`,
        ),
      );
    }, BOUND_MS);
    stream.subscribe(() => {
      const state = stream.getSnapshot();
      if (state.status !== "done" && state.status !== "error") return;
      clearTimeout(timer);
      resolve(state);
    });
  });
}

function entries(stream: ReturnType<typeof createLogStream>, n: number): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = stream.subscribe(() => {
      if (stream.getSnapshot().logs.length < n) return;
      queueMicrotask(unsubscribe);
      resolve();
    });
  });
}

for (const mode of ["sse", "poll"] as const) {
  Deno.test(`${mode}: a connection that goes silent mid-job is replaced, and the log reaches its end`, async () => {
    await using server = startJobServer();
    await using proxy = FaultProxy.start(server.url);
    const job = server.job();
    job.log("first");
    job.log("second");
    const url = mode === "sse"
      ? `${proxy.url}/log/${job.jobId}/stream`
      : `${proxy.url}/log/${job.jobId}`;
    const stream = createLogStream(url, {
      mode,
      interval: 50,
      heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
    });
    try {
      const end = finished(stream);
      await entries(stream, 2);
      // Silence means a dead connection once the server has shown that it sends heartbeats:
      // let one heartbeat (every second) through first.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Every connection open now goes silent; connections opened later pass.
      const silent = new Set(proxy.connections.filter((c) => c.open).map((c) => c.id));
      proxy.hold((c) => silent.has(c.id));
      job.log("third");
      await job.close();
      const state = await end;
      assert.equal(state.status, "done", String(state.error));
      assert.deepEqual(state.logs.map((e) => e.text), ["first", "second", "third"]);
    } finally {
      stream.close();
    }
  });
}
