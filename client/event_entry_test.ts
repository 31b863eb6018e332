/** From a sent event to an entry: what the panel shows for each. */
import assert from "node:assert/strict";
import { makeFormatEvent } from "./format_event.ts";
import { toEntry, toRaw } from "./event_entry.ts";
import { now } from "./next_paint.ts";

Deno.test("toRaw: an object, a JSON object, plain text; nothing for empty or non-object values", () => {
  assert.deepEqual(toRaw({ message: "hi" }), { message: "hi" });
  assert.deepEqual(toRaw('{"event":"log","message":"hi"}'), { event: "log", message: "hi" });
  assert.deepEqual(toRaw("plain text"), { event: "log", message: "plain text" });
  assert.deepEqual(toRaw("42"), { event: "log", message: "42" });
  assert.deepEqual(toRaw("[1,2]"), { event: "log", message: "[1,2]" });
  assert.equal(toRaw(""), undefined);
  assert.equal(toRaw(null), undefined);
  assert.equal(toRaw([1]), undefined);
  assert.equal(toRaw(7), undefined);
});

Deno.test("toEntry: text, time and level; missed is a warning, an unknown level is info", () => {
  assert.deepEqual(toEntry({ event: "log", message: "hi", level: "success", t: 65.24 }, 0), {
    text: "hi",
    t: "1:05.2",
    seconds: 65.24,
    level: "success",
  });
  assert.equal(toEntry({ message: "x", level: "loud", t: 1 }, 0)!.level, "info");
  const missed = toEntry({ event: "missed", count: 4, t: 2 }, 0)!;
  assert.equal(missed.level, "warning");
  assert.match(missed.text, /4 entries are missing here/);
});

Deno.test("toEntry: formatEvent picks the text; null drops the entry; one that throws gives way to the message", () => {
  const format = makeFormatEvent({ page: (e) => `📄 ${e.url}`, tick: () => null });
  assert.equal(toEntry({ event: "page", url: "/a", t: 0 }, 0, format)!.text, "📄 /a");
  assert.equal(toEntry({ event: "tick", t: 0 }, 0, format), undefined);
  const throwing = () => {
    throw new Error("bad formatter");
  };
  assert.equal(toEntry({ message: "kept", t: 0 }, 0, throwing)!.text, "kept");
});

Deno.test("toEntry: without t, the time is the seconds since the stream opened", () => {
  const entry = toEntry({ message: "late" }, now() - 2_500)!;
  assert.ok(entry.seconds! >= 2.5 && entry.seconds! < 60, String(entry.seconds));
  assert.match(entry.t, /^\d+\.\ds$/);
});
