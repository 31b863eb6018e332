import assert from "node:assert/strict";
import * as React from "react";
import { Profiler, type ReactNode, StrictMode, useState } from "react";
import { act, cleanup, render, waitFor } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { renderHook } from "../tests/support/render_hook.tsx";
import { startJobServer } from "../tests/support/job_server.ts";
import { serve } from "../tests/support/serve.ts";
import { type LogStream, useLogStream, type UseLogStreamOptions } from "./use_log_stream.ts";
import type { FormatEvent } from "./types.ts";

const WAIT = { timeout: 8_000, interval: 20 };

function texts(stream: LogStream): string[] {
  return stream.logs.map((entry) => entry.text);
}

function hook(url: string | null, options?: UseLogStreamOptions, strict = false) {
  return renderHook(
    ({ url, options }: { url: string | null; options?: UseLogStreamOptions | undefined }) =>
      useLogStream(url, options),
    {
      initialProps: { url, options } as { url: string | null; options?: UseLogStreamOptions },
      wrapper: strict
        ? ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>
        : undefined,
    },
  );
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
        "… 7 earlier entries were dropped by the server",
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

Deno.test("SSE error: an unknown job is a definite failure", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  try {
    const { result } = hook(server.streamUrl("no-such-job"));
    await waitFor(() => assert.equal(result.current.status, "error"), WAIT);
    assert.equal(result.current.active, false);
    assert.ok(result.current.error instanceof Error);
    assert.match(result.current.error.message, /no-such-job/);
    await pause(300);
    assert.equal(server.requests.length, 1, "no retry after a definite failure");
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

Deno.test("poll errors: passing ones are reported and retried with back-off, a 404 ends it", async () => {
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

Deno.test("a null url stays idle and opens nothing", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  try {
    const { result } = hook(null);
    const { retry, stop, ...state } = result.current;
    assert.deepEqual(state, {
      logs: [],
      active: false,
      status: "idle",
      error: null,
      outcome: null,
    });
    retry();
    stop();
    await pause(100);
    assert.equal(result.current.status, "idle");
    assert.equal(server.requests.length, 0);
  } finally {
    cleanup();
  }
});

Deno.test("a new url closes the old connection and starts over", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const a = server.job();
  const b = server.job();
  a.log("from a");
  b.log("from b");
  try {
    const { result, rerender } = hook(server.streamUrl(a.jobId));
    await waitFor(() => assert.deepEqual(texts(result.current), ["from a"]), WAIT);
    await waitFor(() => assert.equal(server.store.stats(a.jobId)!.waiting, 1), WAIT);
    rerender({ url: server.streamUrl(b.jobId) });
    assert.deepEqual(result.current.logs, [], "reset at once");
    assert.equal(result.current.status, "connecting");
    await waitFor(() => assert.deepEqual(texts(result.current), ["from b"]), WAIT);
    // Nobody reads job a any more.
    await waitFor(() => assert.equal(server.store.stats(a.jobId)!.waiting, 0), WAIT);
    a.log("late a");
    await pause(100);
    assert.deepEqual(texts(result.current), ["from b"]);
    rerender({ url: null });
    assert.equal(result.current.status, "idle");
    await waitFor(() => assert.equal(server.store.stats(b.jobId)!.waiting, 0), WAIT);
  } finally {
    cleanup();
    await a.close();
    await b.close();
  }
});

Deno.test("StrictMode: double effects show every entry once and leave no connection", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  job.log("one");
  job.log("two");
  try {
    const { result, unmount } = hook(server.streamUrl(job.jobId), undefined, true);
    await waitFor(() => assert.equal(result.current.logs.length, 2), WAIT);
    job.log("three");
    await waitFor(() => assert.equal(result.current.logs.length, 3), WAIT);
    await pause(100);
    assert.deepEqual(texts(result.current), ["one", "two", "three"]);
    await waitFor(() => assert.equal(server.store.stats(job.jobId)!.waiting, 1), WAIT);
    assert.equal(server.requests.length, 1, "effects run twice, one connection");
    unmount();
    await waitFor(() => assert.equal(server.store.stats(job.jobId)!.waiting, 0), WAIT);
  } finally {
    cleanup();
    await job.close();
  }
});

// <Activity> (React 19.2+) hides a subtree by running its effects' cleanups
// and keeps its state; showing it runs the effects again.
const Activity = (React as unknown as {
  Activity?: (props: { mode: "visible" | "hidden"; children: ReactNode }) => ReactNode;
}).Activity;

Deno.test({
  name: "effects run again with the same url (<Activity>): every entry once, none lost",
  ignore: Activity === undefined,
  async fn() {
    await using server = startJobServer();
    using _dom = installDom();
    const job = server.job();
    const Shown = Activity!;
    let latest: LogStream | undefined;
    function View({ url }: { url: string }) {
      latest = useLogStream(url);
      return null;
    }
    const tree = (mode: "visible" | "hidden") => (
      <Shown mode={mode}>
        <View url={server.streamUrl(job.jobId)} />
      </Shown>
    );
    try {
      const { rerender } = render(tree("visible"));
      job.log("one");
      job.log("two");
      await waitFor(() => assert.equal(latest!.logs.length, 2), WAIT);
      act(() => rerender(tree("hidden")));
      await waitFor(() => assert.equal(server.store.stats(job.jobId)!.waiting, 0), WAIT);
      job.log("three");
      act(() => rerender(tree("visible")));
      job.log("four");
      await waitFor(() => assert.equal(latest!.logs.length, 4), WAIT);
      await job.close();
      await waitFor(() => assert.equal(latest!.status, "done"), WAIT);
      assert.deepEqual(texts(latest!), ["one", "two", "three", "four"]);
      const streams = server.requests.filter((r) => r.path.endsWith("/stream"));
      assert.equal(streams.length, 2, "connected again when shown");
      // Shown again after the end: nothing is opened.
      act(() => rerender(tree("hidden")));
      act(() => rerender(tree("visible")));
      await pause(100);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(texts(latest!), ["one", "two", "three", "four"]);
    } finally {
      cleanup();
    }
  },
});

Deno.test("formatEvent: null drops an entry; a new function each render neither reconnects nor loses entries", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  let renders = 0;
  let bump!: () => void;
  function View({ url }: { url: string }) {
    const [, setN] = useState(0);
    bump = () => setN((n) => n + 1);
    renders++;
    // A new function on every render.
    const formatEvent: FormatEvent = (e) =>
      e.event === "heartbeat" ? null : e.event === "page_loaded" ? `loaded ${e.url}` : e.message;
    const { logs, status } = useLogStream(url, { formatEvent });
    return <p data-status={status}>{logs.map((l) => l.text).join("|")}</p>;
  }
  try {
    const { container } = render(<View url={server.streamUrl(job.jobId)} />);
    const text = () => container.querySelector("p")!.textContent;
    for (let i = 0; i < 20; i++) {
      job.log(`line ${i}`);
      job.emit("heartbeat", { n: i });
      if (i === 10) job.emit("page_loaded", { url: "https://example.com" });
      act(() => bump());
      await pause(5);
    }
    await job.close();
    await waitFor(
      () => assert.equal(container.querySelector("p")!.getAttribute("data-status"), "done"),
      WAIT,
    );
    const expected = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    expected.splice(11, 0, "loaded https://example.com");
    assert.equal(text(), expected.join("|"));
    assert.ok(renders > 20);
    assert.equal(server.requests.length, 1, "one connection for the whole job");
  } finally {
    cleanup();
  }
});

Deno.test("bursts: thousands of entries at once make at most one commit per animation frame", async () => {
  await using server = startJobServer();
  using dom = installDom({ manualFrames: true });
  const frames = dom.frames!;
  const job = server.job();
  for (let i = 0; i < 5_000; i++) job.log(`burst ${i}`);
  let commits = 0;
  let latest: LogStream | undefined;
  function View({ url }: { url: string }) {
    latest = useLogStream(url);
    return <p>{latest.logs.length}</p>;
  }
  try {
    render(
      <Profiler id="log" onRender={() => commits++}>
        <View url={server.streamUrl(job.jobId)} />
      </Profiler>,
    );
    const mounted = commits;
    // Entries arrive without a frame: nothing is committed.
    await waitFor(() => assert.ok(frames.pending > 0), WAIT);
    await pause(100);
    assert.equal(commits, mounted);
    assert.equal(latest!.logs.length, 0);
    // Run frames until everything is in.
    for (let i = 0; i < 500 && latest!.logs.length < 5_000; i++) {
      act(() => frames.run());
      if (latest!.logs.length < 5_000) {
        await waitFor(() => assert.ok(frames.pending > 0), WAIT);
      }
    }
    assert.equal(latest!.logs.length, 5_000);
    assert.equal(latest!.logs[4_999].text, "burst 4999");
    assert.ok(
      commits - mounted <= frames.ran,
      `${commits - mounted} commits for ${frames.ran} frames`,
    );
    assert.ok(frames.ran < 100, `5,000 entries took ${frames.ran} frames`);
  } finally {
    cleanup();
    await job.close();
  }
});

Deno.test("a hidden tab (no animation frames at all): entries still arrive, on a timer", async () => {
  await using server = startJobServer();
  using dom = installDom({ manualFrames: true });
  const job = server.job();
  for (let i = 0; i < 300; i++) job.log(`hidden ${i}`);
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    await waitFor(() => assert.equal(result.current.logs.length, 300), WAIT);
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.equal(result.current.logs[299].text, "hidden 299");
    assert.equal(dom.frames!.ran, 0, "no frame ever ran");
  } finally {
    cleanup();
  }
});

Deno.test("actions: stop() goes idle, retry() resumes without a duplicate; the outcome shows at the end", async () => {
  await using server = startJobServer();
  using _dom = installDom();
  const job = server.job();
  job.log("one");
  try {
    const { result } = hook(server.streamUrl(job.jobId));
    await waitFor(() => assert.deepEqual(texts(result.current), ["one"]), WAIT);
    const { retry, stop } = result.current;
    act(() => result.current.stop());
    await waitFor(() => assert.equal(result.current.status, "idle"), WAIT);
    assert.equal(result.current.active, false);
    assert.equal(result.current.retry, retry, "stable actions");
    assert.equal(result.current.stop, stop);
    await waitFor(() => assert.equal(server.store.stats(job.jobId)!.waiting, 0), WAIT);
    job.log("two");
    act(() => result.current.retry());
    await waitFor(() => assert.deepEqual(texts(result.current), ["one", "two"]), WAIT);
    await job.close();
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(result.current.outcome, { status: "ok" });
    assert.deepEqual(texts(result.current), ["one", "two"]);
  } finally {
    cleanup();
  }
});

Deno.test("an outcome with a status and message; a lost job reads as an error", async () => {
  let lost = false;
  await using server = serve(() =>
    new Response(
      lost
        ? 'data: {"event":"done","status":"lost","message":"worker died"}\n\n'
        : 'data: {"message":"hi"}\n\ndata: {"event":"done","status":"cancelled","message":"by Ann"}\n\n',
      { headers: { "Content-Type": "text/event-stream" } },
    )
  );
  using _dom = installDom();
  try {
    const { result, rerender } = hook(`${server.url}/a`);
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(result.current.outcome, { status: "cancelled", message: "by Ann" });
    assert.equal(result.current.error, null);
    lost = true;
    rerender({ url: `${server.url}/b` });
    await waitFor(() => assert.equal(result.current.status, "error"), WAIT);
    assert.deepEqual(result.current.outcome, { status: "lost", message: "worker died" });
    assert.match(result.current.error!.message, /the job was lost: worker died/);
  } finally {
    cleanup();
  }
});

Deno.test("a bearer token in headers reaches the server with every request", async () => {
  const seen: (string | null)[] = [];
  await using server = serve((request) => {
    seen.push(request.headers.get("Authorization"));
    return new Response('data: {"message":"ok"}\n\ndata: {"event":"done"}\n\n', {
      headers: { "Content-Type": "text/event-stream" },
    });
  });
  using _dom = installDom();
  try {
    const { result } = hook(`${server.url}/s`, { headers: { Authorization: "Bearer t0k3n" } });
    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(seen, ["Bearer t0k3n"]);
  } finally {
    cleanup();
  }
});
