import assert from "node:assert/strict";
import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { installLayout, rowHeight } from "../tests/support/layout.ts";
import { LogPanel } from "./log_panel.tsx";
import type { LogEntry } from "../client/types.ts";

function entries(count: number, from = 0): LogEntry[] {
  const levels = ["info", "success", "warning", "error"] as const;
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    // Every seventh entry is long enough to wrap over several lines.
    const text = i % 7 === 3 ? `entry ${i} ` + "long ".repeat(40) : `entry ${i}`;
    return { text, t: `${(i / 10).toFixed(1)}s`, level: levels[i % 4] };
  });
}

function texts(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll(".streamator-log-entry")).map((row) =>
    row.textContent!.match(/entry \d+/)?.[0] ?? row.textContent!
  );
}

function box(container: HTMLElement): HTMLElement {
  return container.querySelector(".streamator-log") as HTMLElement;
}

Deno.test("LogPanel renders nothing when not active and empty", () => {
  using _dom = installDom();
  try {
    const { container } = render(<LogPanel logs={[]} active={false} />);
    assert.equal(container.innerHTML, "");
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel shows the waiting text, pulsing, while active and empty", () => {
  using _dom = installDom();
  try {
    const { container, rerender } = render(<LogPanel logs={[]} active />);
    const waiting = container.querySelector(".streamator-log-waiting");
    assert.equal(waiting?.textContent, "⏳ Starting…");
    rerender(<LogPanel logs={[]} active waitingText="Queued…" />);
    assert.equal(container.querySelector(".streamator-log-waiting")?.textContent, "Queued…");
    rerender(<LogPanel logs={entries(1)} active />);
    assert.equal(container.querySelector(".streamator-log-waiting"), null);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel rows: time, text as text, level classes (info has none)", () => {
  using _dom = installDom();
  try {
    const logs: LogEntry[] = [
      { text: "plain", t: "0.1s", level: "info" },
      { text: "✅ Done", t: "1.5s", level: "success" },
      { text: "slow", t: "2.0s", level: "warning" },
      {
        text: '<script>alert("x")</script><img src=x onerror=alert(1)>',
        t: "3.0s",
        level: "error",
      },
    ];
    const { container } = render(<LogPanel logs={logs} active={false} />);
    const rows = Array.from(container.querySelectorAll(".streamator-log-entry"));
    assert.deepEqual(rows.map((r) => r.className), [
      "streamator-log-entry",
      "streamator-log-entry streamator-log-entry--success",
      "streamator-log-entry streamator-log-entry--warning",
      "streamator-log-entry streamator-log-entry--error",
    ]);
    assert.deepEqual(
      rows.map((r) => r.querySelector(".streamator-log-time")?.textContent),
      ["0.1s", "1.5s", "2.0s", "3.0s"],
    );
    assert.equal(container.querySelector("script"), null);
    assert.equal(container.querySelector("img"), null);
    assert.ok(rows[3].textContent!.includes('<script>alert("x")</script>'));
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel root: role log, polite, className appended, maxHeight and style", () => {
  using _dom = installDom();
  try {
    const { container, rerender } = render(
      <LogPanel logs={entries(2)} active className="log" style={{ color: "red" }} />,
    );
    const root = box(container);
    assert.equal(root.className, "streamator-log log");
    assert.equal(root.getAttribute("role"), "log");
    assert.equal(root.getAttribute("aria-live"), "polite");
    assert.equal(root.style.color, "red");
    // No inline max-height or overflow: a page rule on .log decides.
    assert.equal(root.style.maxHeight, "");
    assert.equal(root.style.overflowY, "");
    assert.equal(root.getAttribute("style"), "color: red;");
    rerender(<LogPanel logs={entries(2)} active />);
    assert.equal(box(container).getAttribute("style"), null);
    rerender(<LogPanel logs={entries(2)} active maxHeight="300px" />);
    assert.equal(box(container).style.getPropertyValue("--streamator-max-height"), "300px");
    assert.equal(box(container).style.maxHeight, "");
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel renderEntry renders each entry its own way", () => {
  using _dom = installDom();
  try {
    const { container } = render(
      <LogPanel
        logs={entries(3)}
        active
        renderEntry={(entry, i) => <p className="mine">{i}: {entry.text}</p>}
      />,
    );
    const mine = Array.from(container.querySelectorAll(".mine")).map((p) => p.textContent);
    assert.deepEqual(mine, ["0: entry 0", "1: entry 1", "2: entry 2"]);
    assert.equal(container.querySelector(".streamator-log-entry"), null);
    // No wrapper: the entries' own elements are the rows container's children.
    const rows = container.querySelector(".streamator-log-rows")!;
    assert.deepEqual(Array.from(rows.children).map((c) => c.outerHTML), [
      '<p class="mine">0: entry 0</p>',
      '<p class="mine">1: entry 1</p>',
      '<p class="mine">2: entry 2</p>',
    ]);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel follows the newest entry, stays put once scrolled up, follows again at the bottom", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const { container, rerender } = render(<LogPanel logs={entries(50)} active />);
    const root = box(container);
    const atBottom = () => root.scrollTop === root.scrollHeight - root.clientHeight;
    assert.ok(root.scrollHeight > 160 * 3);
    assert.ok(atBottom(), "starts at the newest entry");
    assert.ok(texts(container).includes("entry 49"));

    rerender(<LogPanel logs={entries(60)} active />);
    assert.ok(atBottom(), "follows new entries");
    assert.ok(texts(container).includes("entry 59"));

    // The reader scrolls up a little.
    act(() => {
      root.scrollTop = root.scrollTop - 300;
      fireEvent.scroll(root);
    });
    const kept = root.scrollTop;
    const seen = texts(container);
    rerender(<LogPanel logs={entries(80)} active />);
    assert.equal(root.scrollTop, kept, "stays put while the reader is up");
    assert.ok(!texts(container).includes("entry 79"));
    assert.ok(seen.some((t) => texts(container).includes(t)));

    // Back to the bottom: following resumes.
    act(() => {
      root.scrollTop = root.scrollHeight;
      fireEvent.scroll(root);
    });
    rerender(<LogPanel logs={entries(90)} active />);
    assert.ok(atBottom(), "follows again");
    assert.ok(texts(container).includes("entry 89"));
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel: scrolling down part way stays put; reaching the bottom while entries arrive follows", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const { container, rerender } = render(<LogPanel logs={entries(100)} active />);
    const root = box(container);
    const max = () => root.scrollHeight - root.clientHeight;
    act(() => {
      root.scrollTop = 200;
      fireEvent.scroll(root);
    });
    // Down, but far from the bottom: still reading.
    act(() => {
      root.scrollTop = 600;
      fireEvent.scroll(root);
    });
    rerender(<LogPanel logs={entries(110)} active />);
    assert.equal(root.scrollTop, 600);

    // The reader heads for the bottom; entries arrive before the scroll event.
    root.scrollTop = max();
    rerender(<LogPanel logs={entries(120)} active />);
    assert.ok(root.scrollTop < max(), "the bottom moved on");
    act(() => {
      fireEvent.scroll(root);
    });
    rerender(<LogPanel logs={entries(130)} active />);
    assert.equal(root.scrollTop, max(), "follows again");
    assert.ok(texts(container).includes("entry 129"));
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel scrolls only its own box, never the page", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  const calls: string[] = [];
  const proto = (dom.window as unknown as { Element: { prototype: Record<string, unknown> } })
    .Element.prototype;
  proto.scrollIntoView = () => calls.push("scrollIntoView");
  (dom.window as unknown as Record<string, unknown>).scrollTo = () => calls.push("scrollTo");
  try {
    const { rerender } = render(<LogPanel logs={entries(10)} active />);
    for (let n = 20; n <= 100; n += 20) rerender(<LogPanel logs={entries(n)} active />);
    assert.deepEqual(calls, []);
    assert.equal(dom.window.document.documentElement.scrollTop, 0);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel keeps about a viewport of rows in the DOM with 100,000 entries of mixed heights", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(100_000);
    const { container } = render(<LogPanel logs={logs} active={false} />);
    const root = box(container);
    const rendered = () => container.querySelectorAll(".streamator-log-entry").length;

    // At the bottom: the newest entries, and only a few dozen rows.
    assert.ok(texts(container).includes("entry 99999"));
    assert.ok(rendered() > 0 && rendered() <= 60, `rows in the DOM: ${rendered()}`);
    // The content is as tall as all the rows would be (measured and estimated).
    const exact = logs.reduce((sum, e) => sum + rowHeight(e.text), 0);
    assert.ok(
      Math.abs(root.scrollHeight - exact) / exact < 0.25,
      `${root.scrollHeight} vs ${exact}`,
    );

    // Scrolled to the top: the oldest entries, still a few dozen rows.
    act(() => {
      root.scrollTop = 0;
      fireEvent.scroll(root);
    });
    const top = texts(container);
    assert.equal(top[0], "entry 0");
    assert.ok(rendered() <= 60, `rows in the DOM: ${rendered()}`);

    // Somewhere in the middle: the rows there, in order, with no gap.
    act(() => {
      root.scrollTop = root.scrollHeight / 2;
      fireEvent.scroll(root);
    });
    const middle = texts(container).map((t) => Number(t.split(" ")[1]));
    assert.ok(middle[0] > 30_000 && middle[0] < 70_000, `first row ${middle[0]}`);
    assert.deepEqual(middle, middle.map((_, k) => middle[0] + k));
    assert.ok(rendered() <= 60, `rows in the DOM: ${rendered()}`);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel: renderEntry with two elements per entry still scrolls and windows sanely", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = entries(500);
    const { container } = render(
      <LogPanel
        logs={logs}
        active
        renderEntry={(entry) => (
          <>
            <p>{entry.t}</p>
            <p>{entry.text}</p>
          </>
        )}
      />,
    );
    const root = box(container);
    assert.ok(
      Number.isFinite(root.scrollHeight) && root.scrollHeight > 160,
      `${root.scrollHeight}`,
    );
    assert.ok(container.textContent!.includes("entry 499"), "the newest entry is shown");
    assert.ok(container.querySelectorAll("p").length <= 2 * 60);
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel in a hidden box (no height) with a long log renders its rows once, without looping", () => {
  using _dom = installDom(); // no layout: every size is 0, as in a display: none parent
  try {
    const logs: LogEntry[] = Array.from({ length: 1_000 }, (_, i) => ({
      text: `entry ${i}`,
      t: "0.0s",
      level: "info",
    }));
    const { container } = render(<LogPanel logs={logs} active />);
    const rows = container.querySelectorAll(".streamator-log-entry");
    assert.ok(rows.length > 0 && rows.length <= 400, `${rows.length} rows`);
    assert.equal(rows[rows.length - 1].textContent, "0.0s entry 999");
  } finally {
    cleanup();
  }
});
