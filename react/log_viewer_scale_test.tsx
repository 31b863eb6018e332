/**
 * LogViewer at scale, in happy-dom: a search in a very long entry puts a
 * bounded number of `<mark>`s in the DOM, and a growing log is read only
 * where it grew (old entries are not read again on each new one).
 */
import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { installLayout } from "../tests/support/layout.ts";
import { LogViewer } from "./log_viewer.tsx";
import type { LogEntry, LogLevel } from "../client/types.ts";

/** Waits (a bounded number of turns) until the viewer has read the whole log: its match count is no longer busy. */
async function readAll(c: HTMLElement): Promise<void> {
  for (let turn = 0; turn < 1_000 && c.querySelector('[aria-busy="true"]'); turn++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 1)));
  }
  assert.equal(c.querySelector('[aria-busy="true"]'), null, "the viewer read the whole log");
}

const LEVELS: LogLevel[] = ["info", "success", "warning", "error"];

function q(c: HTMLElement, selector: string): HTMLElement {
  const el = c.querySelector<HTMLElement>(selector);
  assert.ok(el, `${selector} is rendered`);
  return el;
}

/** Types into the search box (see log_viewer_test.tsx for why focus and keyUp). */
function search(c: HTMLElement, text: string) {
  const input = q(c, "input[type=search]") as HTMLInputElement;
  input.focus();
  fireEvent.focusIn(input);
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), "value")!.set!.call(input, text);
  fireEvent.keyUp(input, { key: text.at(-1) ?? "Backspace" });
}

const countText = (c: HTMLElement) => q(c, ".streamator-viewer-count").textContent;
const marks = (c: HTMLElement) => Array.from(c.querySelectorAll("mark"));
const levelCount = (c: HTMLElement, label: string) =>
  Array.from(c.querySelectorAll("button")).find((b) => b.textContent!.startsWith(`${label} `))!
    .textContent;

for (const ansi of [false, true]) {
  Deno.test(`LogViewer: one character searched in a 100,000-character entry marks a bounded number of occurrences (ansi: ${ansi})`, async () => {
    using dom = installDom();
    installLayout(dom.window, 400);
    try {
      const half = "x".repeat(50_000);
      const long = ansi ? `\x1b[32m${half}\x1b[0m${half}` : half + half;
      const logs: LogEntry[] = [
        { text: "before", t: "0.0s", level: "info" },
        { text: long, t: "0.1s", level: "info" },
        ...Array.from({ length: 2_000 }, (_, i) => ({
          text: `row ${i}`,
          t: "0.2s",
          level: "info" as const,
        })),
        { text: "last x here", t: "9.9s", level: "error" },
      ];
      const { container: c } = render(<LogViewer logs={logs} active={false} ansi={ansi} />);
      await readAll(c);
      search(c, "x");
      await readAll(c);
      // The count is of matching entries: the long one and the last.
      assert.equal(countText(c), "1 of 2");
      const shown = marks(c);
      assert.ok(shown.length >= 2 && shown.length <= 200, `${shown.length} marks in the DOM`);
      assert.ok(shown.every((m) => m.classList.contains("streamator-match--current")));
      // The row still shows all its text, marked or not.
      const row = shown[0].closest(".streamator-log-entry")!;
      assert.equal(row.textContent, "0.1s " + "x".repeat(100_000));
      // The next match is far below: it is shown, and it is the current one.
      fireEvent.keyDown(q(c, "input[type=search]"), { key: "Enter" });
      assert.equal(countText(c), "2 of 2");
      const current = c.querySelectorAll("mark.streamator-match--current");
      assert.equal(current.length, 1);
      assert.equal(current[0].closest(".streamator-log-entry")!.textContent, "9.9s last x here");
      // And back, wrapping around, to the long one.
      fireEvent.keyDown(q(c, "input[type=search]"), { key: "Enter" });
      assert.equal(countText(c), "1 of 2");
      assert.ok(marks(c).length <= 200, `${marks(c).length} marks in the DOM`);
    } finally {
      cleanup();
    }
  });
}

/**
 * Entries whose `text` and `level` count their reads, as the log's old
 * entries are what must not be read again when one is appended.
 */
function watched(count: number, reads: { n: number }, prefix = "entry"): LogEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const text = i % 10 === 7 ? `\x1b[1m${prefix} ${i}\x1b[0m needle` : `${prefix} ${i}`;
    const level = LEVELS[i % 4];
    return {
      t: `${i}s`,
      get text() {
        reads.n++;
        return text;
      },
      get level() {
        reads.n++;
        return level;
      },
    };
  });
}

Deno.test("LogViewer: appending one entry to 10,000 reads the new entry and the rows on screen, not the whole log", async () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const reads = { n: 0 };
    let logs = watched(10_000, reads);
    const { container: c, rerender } = render(<LogViewer logs={logs} active ansi />);
    await readAll(c);
    search(c, "needle");
    fireEvent.click(
      Array.from(c.querySelectorAll("button")).find((b) => b.textContent === "Success 2500")!,
    );
    await readAll(c);
    assert.equal(countText(c), "1 of 500"); // entries 7, 27, 47, … (17, 37, … are successes)
    assert.equal(levelCount(c, "Error"), "Error 2500");

    for (let step = 1; step <= 3; step++) {
      reads.n = 0;
      logs = [...logs, { text: `new ${step} needle`, t: "x", level: "error" }];
      rerender(<LogViewer logs={logs} active ansi />);
      const rows = c.querySelectorAll(".streamator-log-entry").length;
      // Each rendered row reads its entry a few times; the other ~10,000 entries not at all.
      assert.ok(reads.n <= 10 * rows, `${reads.n} reads of old entries for ${rows} rows`);
      assert.equal(countText(c), `1 of ${500 + step}`);
      assert.equal(levelCount(c, "Error"), `Error ${2500 + step}`);
    }
    // The last match is the newest entry.
    fireEvent.keyDown(q(c, "input[type=search]"), { key: "Enter", shiftKey: true });
    assert.equal(countText(c), "503 of 503");
    assert.equal(
      q(c, "mark.streamator-match--current").closest(".streamator-log-entry")!.textContent,
      "x new 3 needle",
    );

    // Another job's log (not an extension of this one) is read from scratch.
    logs = watched(10_000, reads, "other").filter((_, i) => i % 2 === 1);
    rerender(<LogViewer logs={logs} active ansi />);
    await readAll(c);
    assert.match(countText(c)!, / of 500$/); // 7, 27, … again: the hidden level stays hidden
    assert.equal(levelCount(c, "Error"), "Error 2500");
    assert.equal(levelCount(c, "Info"), "Info 0");
    // A shorter log replacing a longer one too.
    logs = logs.slice(0, 10);
    rerender(<LogViewer logs={logs} active ansi />);
    assert.equal(countText(c), "1 of 1");
    assert.equal(levelCount(c, "Error"), "Error 5");
    // Showing the hidden level again searches the whole log again.
    fireEvent.click(
      Array.from(c.querySelectorAll("button")).find((b) => b.textContent === "Success 5")!,
    );
    assert.equal(countText(c), "1 of 2");
    assert.equal(
      q(c, "mark.streamator-match--current").closest(".streamator-log-entry")!.textContent,
      "7s other 7 needle",
    );
  } finally {
    cleanup();
  }
});
