import assert from "node:assert/strict";
import { cleanup, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { installLayout } from "../tests/support/layout.ts";
import { createLineView, lastSegment, redraws } from "./carriage_return.ts";
import { LogPanel } from "./log_panel.tsx";
import type { LogEntry } from "../client/types.ts";

const entry = (text: string): LogEntry => ({ text, t: "0.0s", level: "info" });

Deno.test("lastSegment shows what a terminal would: the text after each line's last \\r", () => {
  assert.equal(lastSegment("plain"), "plain");
  assert.equal(lastSegment("10%\r55%\r100%"), "100%");
  assert.equal(lastSegment("\r 45%"), " 45%");
  assert.equal(lastSegment("done 100%\r"), "done 100%", "a trailing \\r overwrites nothing yet");
  assert.equal(lastSegment("one\r\ntwo"), "one\ntwo", "\\r\\n is a line end");
  assert.equal(lastSegment("a\rb\nc\rd"), "b\nd");
  assert.equal(redraws("\r 1%"), true);
  assert.equal(redraws("line\r\n"), false);
  assert.equal(redraws("plain"), false);
});

Deno.test("createLineView: a run of \\r redraws is one row, the newest; other entries pass as they are", () => {
  const view = createLineView();
  const logs = ["get file", "\r 10%", "\r 60%"].map(entry);
  const first = view(logs, true);
  assert.deepEqual(first.map((e) => e.text), ["get file", " 60%"]);
  assert.equal(first[0], logs[0], "an entry without \\r is the same object");
  const grown = [...logs, entry("\r100%"), entry("saved"), entry("\r1/2"), entry("\r2/2")];
  const second = view(grown, true);
  assert.deepEqual(second.map((e) => e.text), ["get file", "100%", "saved", "2/2"]);
  assert.deepEqual(first.map((e) => e.text), ["get file", " 60%"], "rows returned before stay");
  assert.deepEqual(view(grown, false).map((e) => e.text), [
    "get file",
    " 10%",
    " 60%",
    "100%",
    "saved",
    "1/2",
    "2/2",
  ]);
  const plain = ["other", "lines"].map(entry);
  assert.equal(view(plain, true), plain, "a log without \\r is shown as it is, not copied");
});

Deno.test("LogPanel: \\r text shows its last segment; redrawLines makes 1,000 redraws one row", () => {
  using dom = installDom();
  installLayout(dom.window, 160);
  try {
    const logs = [
      entry("Downloading"),
      ...Array.from({ length: 1000 }, (_, i) => entry(`\rreceived ${i + 1} of 1000 kB`)),
      entry("Saved"),
    ];
    const texts = (c: HTMLElement) =>
      [...c.querySelectorAll(".streamator-log-entry")].map((e) =>
        e.textContent!.replace(/^0\.0s /, "")
      );
    const { container, rerender } = render(<LogPanel logs={logs} active={false} />);
    assert.equal(container.querySelector(".streamator-log-rows")!.children.length > 2, true);
    assert.ok(texts(container).every((t) => !t.includes("\r")));
    rerender(<LogPanel logs={logs} active={false} redrawLines={createLineView} />);
    assert.deepEqual(texts(container), ["Downloading", "received 1000 of 1000 kB", "Saved"]);
  } finally {
    cleanup();
  }
});
