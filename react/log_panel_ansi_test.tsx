import assert from "node:assert/strict";
import { cleanup, render } from "@testing-library/react";
import { installDom } from "../tests/support/dom.ts";
import { renderAnsi } from "./ansi.ts";
import { LogPanel } from "./log_panel.tsx";
import { entryClassName } from "./row.ts";
import type { LogEntry } from "../client/types.ts";

const E = "\x1b[";
const LOGS: LogEntry[] = [
  { text: `${E}32mPASS${E}39m parser`, t: "0.1s", level: "info" },
  { text: `${E}31mFAIL${E}39m <b>lexer</b>`, t: "0.2s", level: "error" },
];

Deno.test("LogPanel with ansi: colours as classed spans, no escape codes, level classes kept", () => {
  using _dom = installDom();
  try {
    const { container } = render(<LogPanel logs={LOGS} active={false} ansi={renderAnsi} />);
    const rows = [...container.querySelectorAll(".streamator-log-entry")];
    assert.deepEqual(rows.map((row) => row.textContent), [
      "0.1s PASS parser",
      "0.2s FAIL <b>lexer</b>",
    ]);
    assert.deepEqual(rows.map((row) => row.className), [
      "streamator-log-entry",
      "streamator-log-entry streamator-log-entry--error",
    ]);
    assert.equal(rows[0].querySelector(".streamator-ansi-fg2")?.textContent, "PASS");
    assert.equal(rows[1].querySelector(".streamator-ansi-fg1")?.textContent, "FAIL");
    assert.equal(rows[1].querySelector("b"), null); // text stays text
  } finally {
    cleanup();
  }
});

Deno.test("LogPanel without ansi shows the text as it is", () => {
  using _dom = installDom();
  try {
    const { container } = render(<LogPanel logs={LOGS} active={false} />);
    const row = container.querySelector(".streamator-log-entry");
    assert.equal(row?.textContent, `0.1s ${LOGS[0].text}`);
    assert.equal(row?.querySelector("span.streamator-ansi-fg2"), null);
  } finally {
    cleanup();
  }
});

Deno.test("a renderEntry row built as the docs show keeps the level class and the time", () => {
  using _dom = installDom();
  try {
    const { container } = render(
      <LogPanel
        logs={LOGS}
        active={false}
        renderEntry={(entry) => (
          <div className={entryClassName(entry.level)}>
            <span className="streamator-log-time">{entry.t}</span> {renderAnsi(entry.text)}
          </div>
        )}
      />,
    );
    const rows = [...container.querySelectorAll(".streamator-log-rows > div")];
    assert.equal(rows[1].className, "streamator-log-entry streamator-log-entry--error");
    assert.equal(rows[1].textContent, "0.2s FAIL <b>lexer</b>");
  } finally {
    cleanup();
  }
});
