import assert from "node:assert/strict";
import { cleanup, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { LogPanel } from "./log_panel.tsx";
import { ProgressBar } from "./progress_bar.tsx";
import type { LogEntry } from "../client/types.ts";

const logs: LogEntry[] = [{ text: "working", t: "0.1s", level: "info" }];

function bar(container: HTMLElement) {
  const el = container.querySelector("[role=progressbar]");
  return el && {
    now: el.getAttribute("aria-valuenow"),
    max: el.getAttribute("aria-valuemax"),
    text: el.getAttribute("aria-valuetext"),
    width: (el.firstElementChild as HTMLElement).style.width,
    shown: container.querySelector(".streamator-progress-text")!.textContent,
    className: el.parentElement!.className,
  };
}

Deno.test("ProgressBar: done of total, indeterminate without total, full only on an ok end", () => {
  using _dom = installDom();
  try {
    const progress = { done: 3, total: 10, label: "pages" };
    const { container, rerender } = render(<ProgressBar progress={progress} />);
    assert.deepEqual(bar(container), {
      now: "3",
      max: "10",
      text: "3 / 10 pages",
      width: "30%",
      shown: "3 / 10 pages",
      className: "streamator-progress",
    });
    rerender(<ProgressBar progress={progress} outcome={{ status: "error", message: "x" }} />);
    assert.equal(bar(container)!.now, "3", "a failed job's bar stays where it stopped");
    assert.match(bar(container)!.className, /streamator-progress--stopped/);
    rerender(<ProgressBar progress={progress} outcome={{ status: "ok" }} />);
    assert.equal(bar(container)!.now, "10", "an ok end fills the bar");
    assert.equal(bar(container)!.width, "100%");

    rerender(<ProgressBar progress={{ done: 42 }} />);
    const unknown = bar(container)!;
    assert.equal(unknown.now, null, "no total: indeterminate");
    assert.equal(unknown.max, null);
    assert.equal(unknown.shown, "42");
    assert.ok(container.querySelector(".streamator-progress-fill--indeterminate"));
    rerender(<ProgressBar progress={{ done: 42 }} outcome={{ status: "cancelled" }} />);
    assert.equal(bar(container)!.now, null);
    rerender(<ProgressBar progress={{ done: 42 }} outcome={{ status: "ok" }} />);
    assert.deepEqual([bar(container)!.now, bar(container)!.max], ["100", "100"]);

    rerender(<ProgressBar progress={{ done: 12, total: 10 }} />);
    assert.equal(bar(container)!.now, "10", "never past the end");
    rerender(<ProgressBar progress={null} />);
    assert.equal(bar(container), null);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel shows the bar only when given progressBar and progress", () => {
  using _dom = installDom();
  try {
    const progress = { done: 1, total: 4 };
    const { container, rerender } = render(
      <LogPanel logs={logs} active status="open" progress={progress} />,
    );
    assert.equal(bar(container), null, "no progressBar: no bar");
    rerender(
      <LogPanel logs={logs} active status="open" progress={null} progressBar={ProgressBar} />,
    );
    assert.equal(bar(container), null, "no progress yet: no bar");
    rerender(
      <LogPanel logs={logs} active status="open" progress={progress} progressBar={ProgressBar} />,
    );
    assert.equal(bar(container)!.now, "1");
    // The bar sits between the log and the status line.
    const order = [...container.children].map((e) => e.className);
    assert.deepEqual(order, ["streamator-log", "streamator-progress", "streamator-log-status"]);
  } finally {
    cleanup();
  }
});
