/**
 * A job whose writer was lost (`{"event":"done","status":"lost"}`), read over
 * real HTTP and shown with `<LogPanel {...stream} />`: the hook says
 * `status: "error"`, and the status line says the job was lost. It offers no
 * Retry button: the end was read, and retrying cannot bring the job back
 * (`retry()` does nothing once the outcome is known).
 */
import assert from "node:assert/strict";
import { cleanup, render } from "@testing-library/react";
import { createLogStream } from "../client/log_stream.ts";
import { LogPanel } from "../react/log_panel.tsx";
import { installDom } from "./support/dom.ts";
import { startJobServer } from "./support/job_server.ts";

Deno.test("LogPanel {...stream}: a lost job says so, with no Retry button that could do nothing", async () => {
  await using server = startJobServer();
  const job = server.job();
  job.log("step 1");
  await job.close({ status: "lost", message: "the worker died" });

  const stream = createLogStream(server.streamUrl(job.jobId));
  try {
    await new Promise<void>((resolve) => {
      stream.subscribe(() => {
        if (stream.getSnapshot().status === "error") resolve();
      });
    });
    const state = stream.getSnapshot();
    assert.equal(state.outcome?.status, "lost");

    using _dom = installDom();
    try {
      const { container } = render(<LogPanel {...state} />);
      assert.equal(
        container.querySelector("[role=alert]")?.textContent,
        "⚠ The log stopped: the job was lost: the worker died",
      );
      assert.equal(container.querySelector(".streamator-log-status button"), null);
      const requests = server.requests.length;
      state.retry();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(server.requests.length, requests, "retry() after the end sends nothing");
    } finally {
      cleanup();
    }
  } finally {
    stream.close();
  }
});
