import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { installLayout } from "../tests/support/layout.ts";
import { LogViewer } from "./log_viewer.tsx";
import type { LogEntry } from "../client/types.ts";

const LEVELS = ["info", "success", "warning", "error"] as const;

function entries(count: number): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    text: `entry ${i}`,
    t: `${(i / 10).toFixed(1)}s`,
    seconds: i / 10,
    level: LEVELS[i % 4],
  }));
}

function button(c: HTMLElement, name: string): HTMLButtonElement {
  const found = Array.from(c.querySelectorAll("button")).find((b) => b.textContent === name);
  assert.ok(found, `a button named ${name}`);
  return found as HTMLButtonElement;
}

function rowTexts(c: HTMLElement): string[] {
  return Array.from(c.querySelectorAll(".streamator-log-entry")).map((r) => r.textContent!);
}

Deno.test("LogViewer Copy all puts the whole log (not just the rows on screen) on the clipboard", async () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(5_000);
    logs[3] = { ...logs[3], text: "\x1b[31mred\x1b[0m <b>bold?</b>" };
    const { container: c } = render(<LogViewer logs={logs} active={false} ansi />);
    assert.ok(rowTexts(c).length < 100);
    await act(async () => {
      fireEvent.click(button(c, "Copy all"));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    const copied = await dom.window.navigator.clipboard.readText();
    const expected = logs.map((e, i) => `${e.t} ${i === 3 ? "red <b>bold?</b>" : e.text}\n`).join(
      "",
    );
    assert.equal(copied, expected);
    assert.equal(copied.split("\n").length, 5_001);
    const said = c.querySelector(".streamator-viewer-said")!;
    assert.equal(said.textContent, "Copied 5000 lines");
    assert.equal(said.getAttribute("role"), "status");
  } finally {
    cleanup();
  }
});

/** Clicks a download button and returns the file's name and text (read from its blob URL). */
async function downloaded(c: HTMLElement, name: string): Promise<{ name: string; text: string }> {
  const found = new Promise<HTMLAnchorElement>((resolve) => {
    const onClick = (event: Event) => {
      const a = event.target as HTMLAnchorElement;
      if (a.tagName === "A") {
        event.preventDefault(); // no navigation in happy-dom
        document.removeEventListener("click", onClick, true);
        resolve(a);
      }
    };
    document.addEventListener("click", onClick, true);
  });
  fireEvent.click(button(c, name));
  const a = await found;
  const text = await (await fetch(a.href)).text();
  // The viewer revokes the URL a second later; let that timer run before the test ends.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return { name: a.download, text };
}

Deno.test("LogViewer downloads the whole log as .txt, and the raw events as .jsonl", async () => {
  using _dom = installDom();
  try {
    const logs = entries(300);
    const events = logs.map((e, i) => ({
      event: "log",
      message: e.text,
      level: e.level,
      t: i / 10,
    }));
    const { container: c, rerender } = render(
      <LogViewer logs={logs} active={false} fileName="job-7" />,
    );
    assert.equal(c.querySelectorAll("button").length, 8, "no .jsonl button without events");
    const txt = await downloaded(c, "Download .txt");
    assert.equal(txt.name, "job-7.txt");
    assert.equal(txt.text, logs.map((e) => `${e.t} ${e.text}\n`).join(""));

    rerender(<LogViewer logs={logs} active={false} fileName="job-7" events={events} />);
    const jsonl = await downloaded(c, "Download .jsonl");
    assert.equal(jsonl.name, "job-7.jsonl");
    assert.deepEqual(jsonl.text.trimEnd().split("\n").map((l) => JSON.parse(l)), events);

    // Events fetched when the button is pressed.
    rerender(
      <LogViewer logs={logs} active={false} events={() => Promise.resolve(events.slice(0, 2))} />,
    );
    const later = await downloaded(c, "Download .jsonl");
    assert.equal(later.name, "log.jsonl");
    assert.equal(later.text, events.slice(0, 2).map((e) => JSON.stringify(e) + "\n").join(""));
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer: events() that gives no array says so in words", async () => {
  using _dom = installDom();
  try {
    // A common slip: the poll answer itself instead of its events.
    const answer = { logs: [{ event: "log", message: "hi" }] } as unknown as unknown[];
    const { container: c } = render(
      <LogViewer logs={entries(2)} active={false} events={() => Promise.resolve(answer)} />,
    );
    await act(async () => {
      fireEvent.click(button(c, "Download .jsonl"));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    assert.equal(
      c.querySelector(".streamator-viewer-said")!.textContent,
      "Could not download: events gave object, not an array of events",
    );
  } finally {
    cleanup();
  }
});

Deno.test("LogViewer: a failing events() says why instead of throwing", async () => {
  using _dom = installDom();
  try {
    const { container: c } = render(
      <LogViewer
        logs={entries(2)}
        active={false}
        events={() => Promise.reject(new Error("HTTP 503"))}
      />,
    );
    await act(async () => {
      fireEvent.click(button(c, "Download .jsonl"));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    assert.equal(
      c.querySelector(".streamator-viewer-said")!.textContent,
      "Could not download: HTTP 503",
    );
  } finally {
    cleanup();
  }
});
