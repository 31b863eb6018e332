import assert from "node:assert/strict";
import { findMatches, matchRanges } from "./search.ts";

Deno.test("findMatches: entry positions, case-insensitive unless asked, empty query finds nothing", () => {
  const texts = ["Build started", "build ok", "test", "REBUILD"];
  assert.deepEqual(findMatches(texts, { text: "build" }), [0, 1, 3]);
  assert.deepEqual(findMatches(texts, { text: "build", matchCase: true }), [1]);
  assert.deepEqual(findMatches(texts, { text: "" }), []);
  assert.deepEqual(findMatches(texts, { text: "nowhere" }), []);
  // From a position on, as when a log grew: positions stay those of the whole list.
  assert.deepEqual(findMatches(texts, { text: "build" }, 1), [1, 3]);
  assert.deepEqual(findMatches(texts, { text: "build" }, 4), []);
});

Deno.test("matchRanges: every occurrence, not overlapping, in the text's own positions", () => {
  assert.deepEqual(matchRanges("aaaa", { text: "aa" }), [[0, 2], [2, 4]]);
  assert.deepEqual(matchRanges("Error: error", { text: "ERROR" }), [[0, 5], [7, 12]]);
  assert.deepEqual(matchRanges("Error: error", { text: "error", matchCase: true }), [[7, 12]]);
  assert.deepEqual(matchRanges("<b>x</b>", { text: "<b>" }), [[0, 3]]);
  assert.deepEqual(matchRanges("abc", { text: "" }), []);
});

Deno.test("matchRanges: at most `limit` ranges, the first ones, however long the text", () => {
  const text = "x".repeat(1_000_000);
  const ranges = matchRanges(text, { text: "x" }, 100);
  assert.equal(ranges.length, 100);
  assert.deepEqual(ranges.at(-1), [99, 100]);
  assert.deepEqual(matchRanges("ab-ab-ab", { text: "AB" }, 2), [[0, 2], [3, 5]]);
  assert.deepEqual(matchRanges("ab", { text: "ab" }, 0), []);
});
