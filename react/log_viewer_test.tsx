import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { installDom } from "../tests/support/dom.ts";
import { installLayout } from "../tests/support/layout.ts";
import { LogViewer } from "./log_viewer.tsx";
import type { LogEntry } from "../client/types.ts";

/** Waits (a bounded number of turns) until the viewer has read the whole log: its match count is no longer busy. */
async function readAll(c: HTMLElement): Promise<void> {
  for (let turn = 0; turn < 1_000 && c.querySelector('[aria-busy="true"]'); turn++) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 1)));
  }
  assert.equal(c.querySelector('[aria-busy="true"]'), null, "the viewer read the whole log");
}
const LEVELS = ["info", "success", "warning", "error"] as const;

function entries(count: number): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    text: i % 10 === 7 ? `entry ${i} Needle here` : `entry ${i}`,
    t: `${(i / 10).toFixed(1)}s`,
    seconds: i / 10,
    level: LEVELS[i % 4],
  }));
}

function q<T extends Element = HTMLElement>(c: HTMLElement, selector: string): T {
  const el = c.querySelector<T>(selector);
  assert.ok(el, `${selector} is rendered`);
  return el;
}

function button(c: HTMLElement, name: string): HTMLButtonElement {
  // A level toggle's name ends with its count ("Error 2").
  const found = Array.from(c.querySelectorAll("button")).find((b) =>
    (b.getAttribute("aria-label") ?? b.textContent!.replace(/ \d+$/, "")) === name
  );
  assert.ok(found, `a button named ${name}`);
  return found as HTMLButtonElement;
}

function checkbox(c: HTMLElement, name: string): HTMLInputElement {
  const label = Array.from(c.querySelectorAll("label")).find((l) => l.textContent === name);
  assert.ok(label, `a checkbox labelled ${name}`);
  return label.querySelector("input")!;
}

function rowTexts(c: HTMLElement): string[] {
  return Array.from(c.querySelectorAll(".streamator-log-entry")).map((r) => r.textContent!);
}

function marks(c: HTMLElement): { text: string; current: boolean; row: string }[] {
  return Array.from(c.querySelectorAll("mark")).map((m) => ({
    text: m.textContent!,
    current: m.classList.contains("streamator-match--current"),
    row: m.closest(".streamator-log-entry")!.textContent!,
  }));
}

/**
 * Types into the search box. react-dom is loaded before the test installs a
 * DOM, so it watches text inputs as it does where no `input` event exists:
 * on focus, and a key event after the value changed (as a keyboard does).
 */
function search(c: HTMLElement, text: string) {
  const input = q<HTMLInputElement>(c, "input[type=search]");
  input.focus();
  fireEvent.focusIn(input);
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), "value")!.set!.call(input, text);
  fireEvent.keyUp(input, { key: text.at(-1) ?? "Backspace" });
}

Deno.test("LogViewer search highlights matches, counts them, and moves between them", () => {
  using _dom = installDom();
  try {
    const { container: c } = render(<LogViewer logs={entries(30)} active={false} />);
    assert.equal(q(c, "input[type=search]").getAttribute("aria-label"), "Search");
    assert.equal(marks(c).length, 0);
    assert.ok(button(c, "Next match").disabled);

    search(c, "needle");
    // Case-insensitive by default: entries 7, 17 and 27 match.
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 3");
    assert.deepEqual(marks(c), [
      { text: "Needle", current: true, row: "0.7s entry 7 Needle here" },
      { text: "Needle", current: false, row: "1.7s entry 17 Needle here" },
      { text: "Needle", current: false, row: "2.7s entry 27 Needle here" },
    ]);
    fireEvent.click(button(c, "Next match"));
    assert.equal(q(c, ".streamator-viewer-count").textContent, "2 of 3");
    assert.deepEqual(marks(c).map((m) => m.current), [false, true, false]);
    // Enter and Shift+Enter in the box; wrapping around at both ends.
    const box = q(c, "input[type=search]");
    fireEvent.keyDown(box, { key: "Enter" });
    fireEvent.keyDown(box, { key: "Enter" });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 3");
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "3 of 3");
    fireEvent.click(button(c, "Previous match"));
    assert.equal(q(c, ".streamator-viewer-count").textContent, "2 of 3");

    // The case option.
    fireEvent.click(checkbox(c, "Match case"));
    assert.equal(q(c, ".streamator-viewer-count").textContent, "No matches");
    assert.equal(marks(c).length, 0);
    search(c, "Needle");
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 3");

    // Escape clears the search.
    fireEvent.keyDown(box, { key: "Escape" });
    assert.equal((box as HTMLInputElement).value, "");
    assert.equal(q(c, ".streamator-viewer-count").textContent, "");
    assert.equal(marks(c).length, 0);
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer search over 100,000 entries renders only a window of rows and shows each match", async () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(100_000);
    const { container: c } = render(<LogViewer logs={logs} active />);
    await readAll(c);
    search(c, "needle");
    // Bounded in time as well as in turns: a viewer that never stops reading makes each turn slow.
    const deadline = Date.now() + 5_000;
    const busy = () => c.querySelector('[aria-busy="true"]') !== null;
    for (let turn = 0; turn < 1_000 && busy() && Date.now() < deadline; turn++) {
      await act(() => new Promise((resolve) => setTimeout(resolve, 1)));
    }
    assert.equal(busy(), false, "the viewer read the whole log, and stopped");
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 10000");
    const rows = () => c.querySelectorAll(".streamator-log-entry").length;
    assert.ok(rows() <= 60, `${rows()} rows in the DOM`);
    assert.ok(marks(c).some((m) => m.current && m.row.endsWith("entry 7 Needle here")));
    // Far away: back from the first match wraps to the last, entry 99,997.
    fireEvent.keyDown(q(c, "input[type=search]"), { key: "Enter", shiftKey: true });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "10000 of 10000");
    fireEvent.keyDown(q(c, "input[type=search]"), { key: "Enter", shiftKey: true });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "9999 of 10000");
    assert.ok(rows() <= 60, `${rows()} rows in the DOM`);
    const current = marks(c).filter((m) => m.current);
    assert.deepEqual(current.map((m) => m.row), ["9998.7s entry 99987 Needle here"]);
    // Its row is inside the visible part of the box.
    const box = q(c, ".streamator-log");
    const top = 99_987 * 20;
    assert.ok(box.scrollTop <= top && top + 20 <= box.scrollTop + box.clientHeight);
    // Following stopped, so new entries do not pull the view away.
    assert.equal(checkbox(c, "Follow").checked, false);
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer reads a long log in slices: the first match at once, the count busy until complete", async () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(100_000).map((e) => ({ ...e, text: `\x1b[1m${e.text}\x1b[22m` }));
    const { container: c } = render(<LogViewer logs={logs} active ansi />);
    // All the entries are there to scroll through; the counts are still being read.
    const count = q(c, ".streamator-viewer-count");
    assert.equal(count.getAttribute("aria-busy"), "true");
    assert.ok(Number(button(c, "Info").textContent!.match(/\d+$/)![0]) < 25_000);
    await readAll(c);
    assert.equal(button(c, "Info").textContent, "Info 25000");
    // A new search shows its first match in the render that found it (then counts the rest).
    search(c, "needle");
    assert.match(count.textContent!, /^1 of \d+$/);
    assert.ok(marks(c).some((m) => m.current && m.row.endsWith("entry 7 Needle here")));
    await readAll(c);
    assert.equal(count.textContent, "1 of 10000");
    assert.equal(count.getAttribute("aria-busy"), null);
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer level filter hides and shows levels, with pressed state", () => {
  using _dom = installDom();
  try {
    const { container: c } = render(<LogViewer logs={entries(8)} active={false} />);
    const group = q(c, "[role=group][aria-label=Levels]");
    assert.deepEqual(
      Array.from(group.querySelectorAll("button")).map((b) => [
        b.textContent,
        b.getAttribute("aria-pressed"),
      ]),
      [["Info 2", "true"], ["Success 2", "true"], ["Warning 2", "true"], ["Error 2", "true"]],
    );
    fireEvent.click(button(c, "Error"));
    fireEvent.click(button(c, "Info"));
    assert.equal(button(c, "Error").getAttribute("aria-pressed"), "false");
    assert.deepEqual(rowTexts(c), ["0.1s entry 1", "0.2s entry 2", "0.5s entry 5", "0.6s entry 6"]);
    // Search counts only what is shown.
    search(c, "entry");
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 4");
    fireEvent.click(button(c, "Error"));
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 6");
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer follow toggle turns the panel's following off and on", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const { container: c, rerender } = render(<LogViewer logs={entries(50)} active />);
    const box = q(c, ".streamator-log");
    const atBottom = () => box.scrollTop === box.scrollHeight - box.clientHeight;
    assert.ok(atBottom());
    fireEvent.click(checkbox(c, "Follow"));
    act(() => {
      box.scrollTop = 100;
      fireEvent.scroll(box);
    });
    rerender(<LogViewer logs={entries(80)} active />);
    assert.equal(box.scrollTop, 100);
    fireEvent.click(checkbox(c, "Follow"));
    assert.ok(atBottom());
    assert.ok(rowTexts(c).includes("7.9s entry 79"));
    // The box follows what the reader does: up unticks it, back to the bottom ticks it.
    act(() => {
      box.scrollTop = 0;
      fireEvent.scroll(box);
    });
    assert.equal(checkbox(c, "Follow").checked, false);
    rerender(<LogViewer logs={entries(90)} active />);
    assert.equal(box.scrollTop, 0);
    act(() => {
      box.scrollTop = box.scrollHeight;
      fireEvent.scroll(box);
    });
    assert.equal(checkbox(c, "Follow").checked, true);
    rerender(<LogViewer logs={entries(100)} active />);
    assert.ok(atBottom());
    assert.ok(rowTexts(c).includes("9.9s entry 99"));
    // autoScroll={false} starts with following off.
    cleanup();
    const other = render(<LogViewer logs={entries(50)} active autoScroll={false} />);
    assert.equal(checkbox(other.container, "Follow").checked, false);
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer ansi: colours as spans, search across styled runs, HTML stays text", () => {
  using _dom = installDom();
  try {
    const logs: LogEntry[] = [
      { text: "\x1b[1;32mPASS\x1b[0m src/a\x1b[2Kb.test.ts", t: "0.1s", level: "info" },
      { text: "<img src=x onerror=alert(1)> \x1b[31mFAIL\x1b[0m", t: "0.2s", level: "error" },
    ];
    const { container: c, rerender } = render(<LogViewer logs={logs} active={false} ansi />);
    assert.deepEqual(rowTexts(c), [
      "0.1s PASS src/ab.test.ts",
      "0.2s <img src=x onerror=alert(1)> FAIL",
    ]);
    assert.equal(q(c, ".streamator-ansi-fg2").textContent, "PASS");
    assert.ok(q(c, ".streamator-ansi-fg2").classList.contains("streamator-ansi-bold"));
    assert.equal(q(c, ".streamator-ansi-fg1").textContent, "FAIL");
    assert.equal(c.querySelector("img"), null);
    // "SS src" spans the bold green run and the plain one.
    search(c, "SS src");
    assert.deepEqual(marks(c).map((m) => m.text), ["SS", " src"]);
    assert.equal(q(c, ".streamator-ansi-fg2 mark").textContent, "SS");
    // Without ansi, nothing is parsed (the escape characters are the text's own).
    rerender(<LogViewer logs={logs} active={false} />);
    assert.equal(c.querySelector("[class*=streamator-ansi]"), null);
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer keyboard: Ctrl+F focuses the search box, F3 and Shift+F3 move between matches", () => {
  using _dom = installDom();
  try {
    const { container: c } = render(<LogViewer logs={entries(30)} active={false} />);
    const box = q<HTMLInputElement>(c, "input[type=search]");
    fireEvent.keyDown(q(c, ".streamator-log"), { key: "f", ctrlKey: true });
    assert.equal(document.activeElement, box);
    search(c, "needle");
    fireEvent.keyDown(q(c, ".streamator-log"), { key: "F3" });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "2 of 3");
    fireEvent.keyDown(button(c, "Copy all"), { key: "F3", shiftKey: true });
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 3");
    // Every control is a native, focusable element.
    for (
      const el of Array.from(
        c.querySelectorAll(".streamator-viewer-bar input, .streamator-viewer-bar button"),
      )
    ) {
      assert.ok(["INPUT", "BUTTON"].includes(el.tagName));
      assert.notEqual(el.getAttribute("tabindex"), "-1");
    }
    assert.equal(q(c, ".streamator-log").getAttribute("tabindex"), "0");
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer texts are props; theme and status pass through", () => {
  using _dom = installDom();
  try {
    const { container: c } = render(
      <LogViewer
        logs={entries(3)}
        active={false}
        theme="dark"
        status="error"
        error={new Error("boom")}
        labels={{
          search: "Chercher",
          copy: "Tout copier",
          matches: (n, total) => `${n}/${total}`,
          error: "Erreurs",
        }}
      />,
    );
    assert.equal(q(c, ".streamator-viewer").className, "streamator-viewer streamator-theme-dark");
    assert.equal(q(c, "input[type=search]").getAttribute("placeholder"), "Chercher");
    button(c, "Tout copier");
    button(c, "Erreurs");
    search(c, "entry");
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1/3");
    assert.equal(q(c, "[role=alert]").textContent, "⚠ The log stopped: boom");
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer renders on the server with no DOM", () => {
  const html = renderToString(
    <LogViewer logs={entries(3)} active={false} ansi status="done" doneText="Done" />,
  );
  assert.match(html, /class="streamator-viewer"/);
  assert.match(html, /0\.2s<\/span> <!-- -->entry 2/);
  assert.match(html, /role="status"[^>]*>Done</);
});

Deno.test("LogViewer: a long log of \\r redraws is read to its end once, as its rows", async () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    // 3,000 entries, more than one render reads: each step's line is redrawn by two \r updates.
    const logs: LogEntry[] = Array.from(
      { length: 1_000 },
      (_, i) =>
        [`step ${i} needle`, `\r${i}: 50%`, `\r${i}: 100%`].map((text) => ({
          text,
          t: "0.0s",
          level: "info" as const,
        })),
    ).flat();
    const { container: c } = render(<LogViewer logs={logs} active={false} />);
    search(c, "needle");
    await readAll(c);
    assert.equal(q(c, ".streamator-viewer-count").textContent, "1 of 1000");
    const rows = [...c.querySelectorAll(".streamator-log-entry")].map((row) => row.textContent!);
    assert.ok(rows.length > 0 && rows.every((row) => !row.includes("\r")));
  } finally {
    cleanup();
  }
});
