import assert from "node:assert/strict";
import { sseComment, sseEvent, sseRetry } from "./sse.ts";

Deno.test("sseEvent frames id and one-line data", () => {
  assert.equal(sseEvent('{"a":1}', 7), 'data: {"a":1}\nid: 7\n\n');
  assert.equal(sseEvent("x"), "data: x\n\n");
});

Deno.test("sseEvent never lets a raw CR or LF through", () => {
  assert.equal(sseEvent("a\nb\r\nc\rd", 1), "data: a\ndata: b\ndata: c\ndata: d\nid: 1\n\n");
  assert.throws(() => sseEvent("x", "1\n2"), /id must not contain CR, LF or NUL/);
  assert.equal(sseComment("a\nb"), ": a\n: b\n");
});

Deno.test("sseRetry takes a non-negative integer", () => {
  assert.equal(sseRetry(1000), "retry: 1000\n");
  assert.throws(() => sseRetry(-1), TypeError);
});
