/**
 * The default text of an entry's time: `"12.3s"` under a minute, `"m:ss.s"`
 * under an hour, then `"h:mm:ss"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTime } from "@streamator/core/react";
 * assert.equal(formatTime(12.34), "12.3s");
 * assert.equal(formatTime(65.2), "1:05.2");
 * assert.equal(formatTime(7200), "2:00:00");
 * ```
 */
export function formatTime(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const s = Math.floor(tenths / 10);
  const pad = (n: number) => (n < 10 ? "0" : "") + n;
  return tenths < 600
    ? (tenths / 10).toFixed(1) + "s"
    : s < 3600
    ? `${Math.floor(s / 60)}:${pad(s % 60)}.${tenths % 10}`
    : `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
