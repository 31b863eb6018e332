import assert from "node:assert/strict";
import { formatTime } from "./format_time.ts";

Deno.test("formatTime: seconds under a minute, m:ss.s under an hour, then h:mm:ss", () => {
  assert.equal(formatTime(0), "0.0s");
  assert.equal(formatTime(12.34), "12.3s");
  assert.equal(formatTime(59.94), "59.9s");
  assert.equal(formatTime(59.96), "1:00.0");
  assert.equal(formatTime(65.25), "1:05.3");
  assert.equal(formatTime(3599.9), "59:59.9");
  assert.equal(formatTime(3600), "1:00:00");
  assert.equal(formatTime(7200), "2:00:00");
  assert.equal(formatTime(36_000 + 61), "10:01:01");
  assert.equal(formatTime(-3), "0.0s");
});
