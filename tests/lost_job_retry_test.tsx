/**
 * A job whose writer was lost (`{"event":"done","status":"lost"}`), read over
 * real HTTP and shown with `<LogPanel {...stream} />`: the hook says
 * `status: "error"`, and the panel's status line offers a Retry button. A
 * button must do something: either the panel offers none for a job that cannot
 * come back, or pressing it makes the stream act (here it does nothing at
 * all: no request, no state change).
 *
 * The 3 s bound only turns "nothing ever happens" into a failure.
 */
import assert from "node:assert/strict";
import { cleanup, fireEvent, render } from "@testing-library/react";
import { createLogStream } from "../react/client/log_stream.ts";
import { LogPanel } from "../react/log_panel.tsx";
import { installDom } from "./support/dom.ts";
import { startJobServer } from "./support/job_server.ts";

Deno.test("LogPanel {...stream}: a lost job's Retry button is either absent or does something", async () => {
  await using server = startJobServer();
  const job = server.job();
  job.log("step 1");
  await job.close({ status: "lost", message: "the worker died" });

  const stream = createLogStream(server.streamUrl(job.jobId));
  let changed: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    stream.subscribe(() => {
      if (stream.getSnapshot().status === "error") resolve();
      changed();
    });
  });
  try {
    await ended;
    const state = stream.getSnapshot();
    assert.equal(state.outcome?.status, "lost");

    using _dom = installDom();
    try {
      const { container } = render(<LogPanel {...state} />);
      const button = container.querySelector<HTMLButtonElement>(".streamator-log-status button");
      if (button === null) return; // no dead button: fine
      const requestsBefore = server.requests.length;
      const acted = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 3_000);
        changed = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      fireEvent.click(button);
      const didSomething = await acted || server.requests.length > requestsBefore;
      assert.ok(
        didSomething,
        `the panel shows "${button.textContent}" for a lost job, and pressing it does nothing`,
      );
    } finally {
      cleanup();
    }
  } finally {
    stream.close();
  }
});
