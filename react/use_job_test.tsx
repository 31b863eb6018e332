/** useJob in happy-dom against a real handler over HTTP: outcome, result and cancel(). */
import assert from "node:assert/strict";
import { cleanup, waitFor } from "@testing-library/react";
import { type Authorize, createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { installDom } from "../tests/support/dom.ts";
import { renderHook } from "../tests/support/render_hook.tsx";
import { serve } from "../tests/support/serve.ts";
import { slowServer } from "../tests/support/slow_server.ts";
import { type JobView, useJob, type UseJobOptions } from "./use_job.ts";

const WAIT = { timeout: 8_000, interval: 20 };

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
}

/** A real handler on 127.0.0.1 that records each request. */
function jobServer(authorize?: Authorize) {
  const store = new MemoryStore();
  const handler = createLogHandler({ store, authorize, retryMs: 50 });
  const seen: Seen[] = [];
  const server = serve((request) => {
    seen.push({
      method: request.method,
      path: new URL(request.url).pathname,
      authorization: request.headers.get("Authorization"),
    });
    return handler(request);
  });
  return {
    store,
    seen,
    prefix: `${server.url}/log`,
    job: () => new JobLogger({ store }),
    requests: (suffix: string) => seen.filter((r) => r.path.endsWith(suffix)),
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

function hook<T = unknown>(jobId: string | null, options: UseJobOptions) {
  return renderHook(({ jobId }: { jobId: string | null }) => useJob<T>(jobId, options), {
    initialProps: { jobId },
  });
}

Deno.test("useJob: cancel() stops a job waiting on a slow fetch; twice is one request; none after the end", async () => {
  await using server = jobServer();
  await using slow = slowServer();
  using _dom = installDom();
  const logger = server.job();
  const running = logger.run(async (log) => {
    log.log("fetching a slow page");
    await fetch(slow.url, { signal: log.signal });
  });
  try {
    const { result } = hook(logger.jobId, { prefix: server.prefix });
    await waitFor(() => assert.equal(result.current.logs.length, 1), WAIT);
    assert.equal(result.current.active, true);
    assert.equal(result.current.cancelling, false);
    assert.equal(result.current.resultStatus, "waiting");

    const cancel = result.current.cancel;
    await Promise.all([cancel(), cancel()]);
    assert.equal(server.requests("/cancel").length, 1);
    assert.equal(result.current.cancelError, null);
    assert.deepEqual(await running, { status: "cancelled" });

    await waitFor(() => assert.equal(result.current.status, "done"), WAIT);
    assert.deepEqual(result.current.outcome, { status: "cancelled" });
    assert.equal(result.current.cancelling, false);
    assert.equal(result.current.cancel, cancel, "cancel is stable");
    await waitFor(() => assert.equal(result.current.resultStatus, "none"), WAIT);
    assert.equal(result.current.result, undefined);

    await result.current.cancel();
    assert.equal(server.requests("/cancel").length, 1);
  } finally {
    cleanup();
  }
});

Deno.test("useJob: the result is read once the job ends, with the headers and fetch given", async () => {
  await using server = jobServer();
  using _dom = installDom();
  const logger = server.job();
  const fetched: string[] = [];
  const options: UseJobOptions = {
    prefix: server.prefix + "/",
    headers: () => ({ Authorization: "Bearer reader" }),
    fetch: (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    },
  };
  try {
    const { result } = hook<{ editions: number; titles: string[] }>(logger.jobId, options);
    await waitFor(() => assert.equal(result.current.status, "open"), WAIT);
    logger.log("summarising");
    await logger.run(() => ({ editions: 4, titles: ["Unabridged", "BBC Radio"] }));
    await waitFor(() => assert.equal(result.current.resultStatus, "ready"), WAIT);
    assert.deepEqual(result.current.result, { editions: 4, titles: ["Unabridged", "BBC Radio"] });
    // The result has the type given to useJob<T>().
    const editions: number | undefined = result.current.result?.editions;
    assert.equal(editions, 4);
    assert.deepEqual(result.current.outcome, { status: "ok" });
    assert.deepEqual(result.current.logs.map((e) => e.text), ["summarising"]);
    // Read once, after the end, through the given fetch and headers.
    const reads = server.requests("/result");
    assert.equal(reads.length, 1);
    assert.equal(reads[0].authorization, "Bearer reader");
    assert.ok(fetched.includes(`${server.prefix}/${logger.jobId}/result`), fetched.join());
  } finally {
    cleanup();
  }
});

Deno.test("useJob over polling: an error outcome with its message, and no result", async () => {
  await using server = jobServer();
  using _dom = installDom();
  const logger = server.job();
  try {
    const { result } = hook(logger.jobId, { prefix: server.prefix, mode: "poll", interval: 50 });
    await logger.run(() => {
      throw new Error("the review API refused the key");
    });
    await waitFor(() => assert.equal(result.current.resultStatus, "none"), WAIT);
    assert.deepEqual(result.current.outcome, {
      status: "error",
      message: "the review API refused the key",
    });
    assert.equal(result.current.status, "done");
    assert.ok(server.requests(`/log/${logger.jobId}`).length >= 1);
  } finally {
    cleanup();
  }
});

Deno.test("useJob: a cancel the server refuses is reported, and the job runs on", async () => {
  const viewerOnly: Authorize = (_request, _jobId, action) => action === "read";
  await using server = jobServer(viewerOnly);
  using _dom = installDom();
  const logger = server.job();
  try {
    const { result } = hook(logger.jobId, { prefix: server.prefix });
    await waitFor(() => assert.equal(result.current.status, "open"), WAIT);
    await result.current.cancel();
    await waitFor(() => assert.notEqual(result.current.cancelError, null), WAIT);
    assert.equal(
      result.current.cancelError?.message,
      `${server.prefix}/${logger.jobId}/cancel answered 403: forbidden`,
    );
    assert.equal(result.current.cancelling, false);
    assert.equal(logger.cancelled, false);
    assert.equal(result.current.active, true);
    await logger.close();
    await waitFor(() => assert.deepEqual(result.current.outcome, { status: "ok" }), WAIT);
  } finally {
    cleanup();
  }
});

Deno.test("useJob: a result the server refuses is an error of the result url, after a stream that ended well", async () => {
  const noResult: Authorize = (request) => !new URL(request.url).pathname.endsWith("/result");
  await using server = jobServer(noResult);
  using _dom = installDom();
  const logger = server.job();
  try {
    const { result } = hook(logger.jobId, { prefix: server.prefix });
    await waitFor(() => assert.equal(result.current.status, "open"), WAIT);
    await logger.run(() => ({ editions: 4 }));
    await waitFor(() => assert.equal(result.current.resultStatus, "error"), WAIT);
    assert.equal(result.current.status, "done");
    assert.equal(result.current.error, null);
    assert.equal(
      result.current.resultError?.message,
      `${server.prefix}/${logger.jobId}/result answered 403: forbidden`,
    );
  } finally {
    cleanup();
  }
});

Deno.test("useJob: a null job id is idle; cancel() sends nothing", async () => {
  await using server = jobServer();
  using _dom = installDom();
  try {
    const { result } = hook(null, { prefix: server.prefix });
    const idle: JobView = result.current;
    assert.equal(idle.status, "idle");
    assert.equal(idle.active, false);
    assert.equal(idle.resultStatus, "none");
    await idle.cancel();
    assert.equal(server.seen.length, 0);
    // React reports the render error on the console too: keep it out of the output.
    const original = console.error;
    console.error = () => {};
    try {
      assert.throws(() => hook("", { prefix: server.prefix }), /jobId must be a non-empty string/);
    } finally {
      console.error = original;
    }
  } finally {
    cleanup();
  }
});

Deno.test("useJob: an unknown job fails the stream, the result and a cancel, each with the reason", async () => {
  await using server = jobServer();
  using _dom = installDom();
  try {
    const { result } = hook("no-such-job", { prefix: server.prefix });
    await waitFor(() => assert.equal(result.current.status, "error"), WAIT);
    assert.equal(result.current.resultStatus, "error");
    assert.equal(
      result.current.resultError?.message,
      `${server.prefix}/no-such-job/result was not read: ` +
        `${server.prefix}/no-such-job/stream answered 404: unknown job`,
    );
    await result.current.cancel();
    await waitFor(() => assert.notEqual(result.current.cancelError, null), WAIT);
    assert.equal(
      result.current.cancelError?.message,
      `${server.prefix}/no-such-job/cancel answered 404: unknown job`,
    );
    assert.equal(server.requests("/result").length, 0);
  } finally {
    cleanup();
  }
});
