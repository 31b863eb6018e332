/**
 * A job that fails, read over real HTTP and shown the way docs/react.md
 * shows it (`<LogPanel {...stream} doneText="✔ Finished" />`): the user must
 * be able to tell it failed. The done event carries `status: "error"` and the
 * message, and the hook has them in `outcome`; the panel must not show the
 * success text alone, with no trace of the failure.
 */
import assert from "node:assert/strict";
import { cleanup, render } from "@testing-library/react";
import { createLogStream, type LogStreamState } from "../client/log_stream.ts";
import { LogPanel } from "../react/log_panel.tsx";
import { installDom } from "./support/dom.ts";
import { startJobServer } from "./support/job_server.ts";

async function readToEnd(url: string): Promise<LogStreamState> {
  const stream = createLogStream(url);
  try {
    return await new Promise((resolve) => {
      stream.subscribe(() => {
        const state = stream.getSnapshot();
        if (state.status === "done" || state.status === "error") resolve(state);
      });
    });
  } finally {
    stream.close();
  }
}

for (
  const [how, end] of [
    [
      "fail(error)",
      (job: { fail(e: unknown): Promise<void> }) => job.fail(Error("quota exceeded")),
    ],
    [
      'close({ status: "cancelled" })',
      (job: { close(o: { status: "cancelled"; message: string }): Promise<void> }) =>
        job.close({ status: "cancelled", message: "quota exceeded" }),
    ],
  ] as const
) {
  Deno.test(`LogPanel {...stream} with doneText: a job ended by ${how} is not shown as a plain success`, async () => {
    await using server = startJobServer();
    const job = server.job();
    job.log("step 1");
    await end(job);
    const stream = await readToEnd(server.streamUrl(job.jobId));
    assert.equal(stream.outcome?.message, "quota exceeded", "the hook has the outcome");

    using _dom = installDom();
    try {
      const { container } = render(<LogPanel {...stream} doneText="✔ Finished" />);
      const shown = container.textContent ?? "";
      assert.ok(
        shown.includes("quota exceeded") || !shown.includes("✔ Finished"),
        `a failed job reads as a success: ${JSON.stringify(shown)}`,
      );
    } finally {
      cleanup();
    }
  });
}
