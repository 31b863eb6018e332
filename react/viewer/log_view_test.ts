import assert from "node:assert/strict";
import type { LogEntry, LogLevel } from "../../client/types.ts";
import { isBehind, type LogView, textAt, updateLogView } from "./log_view.ts";

const LEVELS: LogLevel[] = ["info", "success", "warning", "error"];

function log(count: number): LogEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    text: i % 10 === 7 ? `\x1b[31mentry ${i} needle\x1b[39m` : `entry ${i}`,
    t: "0.0s",
    level: LEVELS[i % 4],
  }));
}

Deno.test("updateLogView with no time left reads one slice per call, and ends where reading all at once does", () => {
  const logs = log(5_000);
  const query = { text: "NEEDLE" };
  const whole = updateLogView(undefined, logs, true, [], query);
  assert.equal(isBehind(whole, logs), false);
  assert.equal(whole.matches.length, 500);
  assert.deepEqual(whole.counts, { info: 1_250, success: 1_250, warning: 1_250, error: 1_250 });

  let view: LogView | undefined;
  let calls = 0;
  do {
    view = updateLogView(view, logs, true, [], query, 0);
    calls++;
    // Every entry is there to show from the first call; counts and matches grow.
    assert.equal(view.entries.length, 5_000);
    assert.ok(view.read <= calls * 1_000, `${view.read} read after ${calls}`);
    assert.ok(view.searched <= view.read, `${view.searched} searched of ${view.read} read`);
  } while (isBehind(view, logs) && calls < 100);
  assert.ok(calls >= 5, `${calls} calls`);
  assert.deepEqual(view.matches, whole.matches);
  assert.deepEqual(view.counts, whole.counts);
  assert.equal(view.read, whole.read);
});

Deno.test("updateLogView: a search moves on while the reading is behind, and the filter keeps up", () => {
  let logs = log(2_000);
  let view = updateLogView(undefined, logs, false, ["info"], { text: "needle" }, 0);
  for (let i = 0; i < 20; i++) {
    // A burst: more entries on every call than one slice reads.
    logs = [...logs, ...log(2_000)];
    view = updateLogView(view, logs, false, ["info"], { text: "needle" }, 0);
  }
  assert.ok(isBehind(view, logs));
  assert.ok(view.matches.length > 0);
  assert.ok(view.entries.every((e) => e.level !== "info"));
  assert.ok(view.searched <= view.entries.length);
  // A row on screen not read yet still has its visible text.
  const all = updateLogView(undefined, logs, true, [], { text: "" }, 0);
  assert.equal(textAt(all, 41_997), "entry 1997 needle");
});
