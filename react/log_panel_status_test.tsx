import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { installLayout } from "../tests/support/layout.ts";
import { LogPanel } from "./log_panel.tsx";
import type { LogStream } from "./use_log_stream.ts";
import type { LogEntry } from "../client/types.ts";
import { formatTime } from "../client/format_time.ts";

function entries(count: number): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    text: `entry ${i}`,
    t: `${i}.0s`,
    seconds: i * 100,
    level: "info" as const,
  }));
}

function statusOf(container: HTMLElement) {
  const line = container.querySelector(".streamator-log-status");
  return {
    present: line !== null,
    /** What the polite region says besides the alert and the button. */
    polite: line?.getAttribute("role") === "status"
      ? Array.from(line.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent)
        .join("")
      : null,
    alert: container.querySelector("[role=alert]")?.textContent ?? null,
    button: container.querySelector(".streamator-log-status button")?.textContent ?? null,
  };
}

Deno.test("LogPanel without status shows no status line, whatever the stream does", () => {
  using _dom = installDom();
  try {
    const { container } = render(<LogPanel logs={entries(2)} active />);
    assert.equal(container.querySelector(".streamator-log-status"), null);
    assert.equal(container.querySelector("[role=status], [role=alert]"), null);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel status line: reconnecting politely, error as an alert with its message, done only when asked", () => {
  using _dom = installDom();
  try {
    const logs = entries(3);
    const { container, rerender } = render(<LogPanel logs={logs} active status="open" />);
    let s = statusOf(container);
    assert.ok(s.present, "the polite region is there before anything is said");
    assert.equal(s.polite, "");
    assert.equal(s.alert, null);

    rerender(<LogPanel logs={logs} active status="reconnecting" error={new Error("cut")} />);
    s = statusOf(container);
    assert.equal(s.polite, "Reconnecting…");
    assert.equal(s.alert, null);

    rerender(<LogPanel logs={logs} active status="connecting" error={null} />);
    assert.equal(statusOf(container).polite, "");

    rerender(
      <LogPanel logs={logs} active={false} status="error" error={new Error("HTTP 500")} />,
    );
    s = statusOf(container);
    assert.equal(s.alert, "⚠ The log stopped: HTTP 500");
    assert.equal(s.button, null, "no Retry without retry");
    // The rows stay: what was read is still there to read.
    assert.equal(container.querySelectorAll(".streamator-log-entry").length, 3);

    rerender(<LogPanel logs={logs} active={false} status="done" />);
    assert.equal(statusOf(container).polite, "");
    rerender(<LogPanel logs={logs} active={false} status="done" doneText="✔ Finished" />);
    assert.equal(statusOf(container).polite, "✔ Finished");
    assert.equal(statusOf(container).alert, null);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel status texts are props (translatable), and Retry calls retry", () => {
  using _dom = installDom();
  try {
    let retried = 0;
    const retry = () => retried++;
    const fr = {
      reconnectingText: "Reconnexion…",
      errorText: "Erreur :",
      retryText: "Réessayer",
      doneText: "Terminé",
    };
    const { container, rerender } = render(
      <LogPanel logs={[]} active={false} status="error" error={new Error("refusé")} {...fr} />,
    );
    // Failed before any entry: the status line alone.
    assert.equal(container.querySelector(".streamator-log"), null);
    assert.equal(statusOf(container).alert, "Erreur : refusé");
    assert.equal(statusOf(container).button, null);
    rerender(
      <LogPanel
        logs={[]}
        active={false}
        status="error"
        error={new Error("refusé")}
        retry={retry}
        {...fr}
      />,
    );
    const button = container.querySelector<HTMLButtonElement>(".streamator-log-status button")!;
    assert.equal(button.textContent, "Réessayer");
    assert.equal(button.type, "button");
    fireEvent.click(button);
    assert.equal(retried, 1);
    rerender(<LogPanel logs={[]} active status="reconnecting" retry={retry} {...fr} />);
    assert.equal(statusOf(container).polite, "Reconnexion…");
    assert.equal(statusOf(container).button, null, "Retry only on error");
    rerender(<LogPanel logs={entries(1)} active={false} status="done" {...fr} />);
    assert.equal(statusOf(container).polite, "Terminé");
  } finally {
    cleanup();
  }
});

Deno.test("<LogPanel {...stream} /> takes a whole useLogStream result and ignores what it does not use", () => {
  using _dom = installDom();
  try {
    let retried = 0;
    const stream: LogStream = {
      logs: entries(2),
      active: false,
      status: "error",
      error: new Error("gone"),
      outcome: null,
      progress: null,
      retry: () => retried++,
      stop: () => {},
    };
    // What the panel does not use (stop) is accepted and not rendered.
    const { container } = render(<LogPanel {...stream} />);
    assert.equal(statusOf(container).alert, "⚠ The log stopped: gone");
    assert.equal(statusOf(container).button, "Retry");
    const root = container.querySelector(".streamator-log")!;
    assert.equal(root.getAttribute("outcome"), null);
    assert.equal(root.getAttribute("stop"), null);
    fireEvent.click(container.querySelector(".streamator-log-status button")!);
    assert.equal(retried, 1);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel formatTime makes the time from seconds; entries without seconds keep t", () => {
  using _dom = installDom();
  try {
    const logs: LogEntry[] = [
      ...entries(3),
      { text: "no seconds", t: "given", level: "info" },
    ];
    const times = (c: HTMLElement) =>
      Array.from(c.querySelectorAll(".streamator-log-time")).map((e) => e.textContent);
    const { container, rerender } = render(<LogPanel logs={logs} active={false} />);
    assert.deepEqual(times(container), ["0.0s", "1.0s", "2.0s", "given"]);
    rerender(<LogPanel logs={logs} active={false} formatTime={formatTime} />);
    assert.deepEqual(times(container), ["0.0s", "1:40.0", "3:20.0", "given"]);
    rerender(<LogPanel logs={logs} active={false} formatTime={(s) => `T+${s}`} />);
    assert.deepEqual(times(container), ["T+0", "T+100", "T+200", "given"]);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel autoScroll={false} stays where it is; turning it on jumps to the newest", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const root = (c: HTMLElement) => c.querySelector(".streamator-log") as HTMLElement;
    const { container, rerender } = render(
      <LogPanel logs={entries(50)} active autoScroll={false} />,
    );
    assert.equal(root(container).scrollTop, 0);
    assert.ok(container.textContent!.includes("entry 0"));
    rerender(<LogPanel logs={entries(80)} active autoScroll={false} />);
    assert.equal(root(container).scrollTop, 0, "new entries do not move the view");
    // Even at the bottom, it does not follow.
    act(() => {
      root(container).scrollTop = root(container).scrollHeight;
      fireEvent.scroll(root(container));
    });
    const kept = root(container).scrollTop;
    rerender(<LogPanel logs={entries(200)} active autoScroll={false} />);
    assert.equal(root(container).scrollTop, kept);
    assert.ok(!container.textContent!.includes("entry 199"));
    rerender(<LogPanel logs={entries(200)} active autoScroll />);
    const el = root(container);
    assert.equal(el.scrollTop, el.scrollHeight - el.clientHeight);
    assert.ok(container.textContent!.includes("entry 199"));
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel scrollTo brings a far row into view, windowed, and stops following", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(100_000);
    const { container, rerender } = render(<LogPanel logs={logs} active />);
    const el = container.querySelector(".streamator-log") as HTMLElement;
    rerender(<LogPanel logs={logs} active scrollTo={{ index: 42_000 }} />);
    const shown = () =>
      Array.from(el.querySelectorAll(".streamator-log-entry")).map((r) => r.textContent!);
    const row = Array.from(el.querySelectorAll(".streamator-log-entry")).find((r) =>
      r.textContent!.endsWith("entry 42000")
    );
    assert.ok(row, shown().slice(0, 3).join());
    assert.ok(shown().length <= 60, `${shown().length} rows in the DOM`);
    // Row 42,000 is inside the visible part of the box.
    const top = 42_000 * 20;
    assert.ok(el.scrollTop <= top && top + 20 <= el.scrollTop + el.clientHeight, `${el.scrollTop}`);
    // New entries do not pull the view away from it.
    const kept = el.scrollTop;
    rerender(<LogPanel logs={entries(100_010)} active scrollTo={{ index: 42_000 }} />);
    assert.ok(shown().some((t) => t.endsWith("entry 42000")));
    assert.ok(Math.abs(el.scrollTop - kept) <= 20);
  } finally {
    cleanup();
  }
});
