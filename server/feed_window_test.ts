import assert from "node:assert/strict";
import { FeedWindow, WINDOW_ENTRIES } from "./feed_window.ts";

Deno.test("a feed window serves missed ids, then entries, up to the limit", () => {
  const feed = new FeedWindow();
  feed.reset(5);
  feed.push("a");
  feed.fill(8);
  feed.push("b");
  feed.push("c");
  assert.equal(feed.next, 10);
  assert.deepEqual(feed.serve(5, 10), { entries: ["a"], next: 6, missed: 0 });
  assert.deepEqual(feed.serve(6, 1), { entries: ["b"], next: 9, missed: 2 });
  assert.deepEqual(feed.serve(10, 10), { entries: [], next: 10, missed: 0 });
});

Deno.test("a feed window keeps at most WINDOW_ENTRIES and starts over after a long gap", () => {
  const feed = new FeedWindow();
  for (let id = 0; id < WINDOW_ENTRIES + 3; id++) feed.push(String(id));
  feed.trim();
  assert.equal(feed.base, 3);
  assert.equal(feed.length, WINDOW_ENTRIES);
  assert.deepEqual(feed.serve(3, 1).entries, ["3"]);
  const end = feed.next + WINDOW_ENTRIES + 1;
  feed.fill(end);
  assert.equal(feed.base, end);
  assert.equal(feed.length, 0);
});
