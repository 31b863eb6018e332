/**
 * `useLogStream` in React's lifecycle: idle, a new url, `<StrictMode>`,
 * `<Activity>`, a changing `formatEvent`, bursts and frames, a hidden tab,
 * the actions, outcomes and headers.
 */
import assert from "node:assert/strict";
import * as React from "react";
import { Profiler, type ReactNode, useState } from "react";
import { act, cleanup, render, waitFor } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { hook, pause, texts, WAIT } from "../tests/support/use_log_stream_hook.tsx";
import { startJobServer } from "../tests/support/job_server.ts";
import { serve } from "../tests/support/serve.ts";
import { type LogStream, useLogStream } from "./use_log_stream.ts";
import type { FormatEvent } from "../client/types.ts";

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
      progress: null,
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
    // Run frames until everything is in. Each commit follows its frame, in a task of its own;
    // then entries that came meanwhile ask for the next frame.
    for (let i = 0; i < 500 && latest!.logs.length < 5_000; i++) {
      const shown: number = latest!.logs.length;
      act(() => frames.run());
      assert.equal(latest!.logs.length, shown, "nothing commits inside the frame");
      await waitFor(() => assert.ok(latest!.logs.length > shown), WAIT);
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
