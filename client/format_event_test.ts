import assert from "node:assert/strict";
import { BASE_EVENT_LABELS, defaultFormatEvent, makeFormatEvent } from "./format_event.ts";

const KNOWN_EVENTS = [
  "page_loaded",
  "batch_started",
  "loading_strategy",
  "llm_started",
  "llm_done",
  "cache_hit",
  "search_started",
  "search_done",
  "browser_ready",
  "retry",
];

Deno.test("BASE_EVENT_LABELS covers its ten events, with and without fields", () => {
  assert.deepEqual(Object.keys(BASE_EVENT_LABELS).sort(), [...KNOWN_EVENTS].sort());
  for (const name of KNOWN_EVENTS) {
    const text = BASE_EVENT_LABELS[name]({ event: name });
    assert.equal(typeof text, "string", name);
    assert.ok(text!.length > 3, name);
  }
});

Deno.test("BASE_EVENT_LABELS uses the events' fields", () => {
  const f = makeFormatEvent();
  assert.equal(
    f({ event: "page_loaded", url: "https://a.example" }),
    "📄 Loaded https://a.example",
  );
  assert.equal(
    f({ event: "batch_started", batch: 2, total: 5, size: 10 }),
    "📦 Batch 2/5 started (10 items)",
  );
  assert.equal(f({ event: "loading_strategy", strategy: "lazy" }), "🧭 Loading strategy: lazy");
  assert.equal(f({ event: "llm_started", model: "gpt-x" }), "🤖 Asking gpt-x…");
  assert.equal(
    f({ event: "llm_done", model: "gpt-x", tokens: 812 }),
    "🤖 gpt-x answered (812 tokens)",
  );
  assert.equal(f({ event: "cache_hit", key: "page:1" }), "⚡ Cache hit (page:1)");
  assert.equal(f({ event: "search_started", query: "deno" }), '🔍 Searching for "deno"…');
  assert.equal(f({ event: "search_done", count: 12 }), "🔍 Search done: 12 results");
  assert.equal(f({ event: "browser_ready" }), "🌐 Browser ready");
  assert.equal(
    f({ event: "retry", attempt: 2, reason: "timeout" }),
    "🔁 Retrying (attempt 2): timeout",
  );
});

Deno.test("makeFormatEvent: overrides win, unknown events fall back to message, else null", () => {
  const f = makeFormatEvent({
    scraping: (e) => `🔍 Scraping ${e.url}`,
    cache_hit: () => null,
    page_loaded: (e) => `page ${e.url}`,
  });
  assert.equal(f({ event: "scraping", url: "https://x.example" }), "🔍 Scraping https://x.example");
  assert.equal(f({ event: "cache_hit", key: "k" }), null);
  assert.equal(f({ event: "page_loaded", url: "u" }), "page u");
  assert.equal(f({ event: "llm_started", model: "m" }), "🤖 Asking m…");
  assert.equal(f({ event: "log", message: "plain", level: "info" }), "plain");
  assert.equal(f({ event: "unknown_thing", message: "said" }), "said");
  assert.equal(f({ event: "unknown_thing", value: 1 }), null);
});

Deno.test("makeFormatEvent: a label that throws falls back to the message", () => {
  const f = makeFormatEvent({
    boom: () => {
      throw new Error("bad label");
    },
  });
  assert.equal(f({ event: "boom", message: "fallback" }), "fallback");
  assert.equal(f({ event: "boom" }), null);
});

Deno.test("makeFormatEvent refuses overrides that are not functions, naming them", () => {
  assert.throws(
    // @ts-expect-error: not a function
    () => makeFormatEvent({ scraping: "🔍" }),
    (e: unknown) =>
      e instanceof TypeError && /overrides\.scraping must be a function/.test(e.message),
  );
  // @ts-expect-error: not an object
  assert.throws(() => makeFormatEvent(null), TypeError);
});

Deno.test("defaultFormatEvent: the message, a line for missed entries, else null", () => {
  assert.equal(defaultFormatEvent({ event: "log", message: "hi" }), "hi");
  assert.equal(
    defaultFormatEvent({ event: "missed", count: 12 }),
    "… 12 entries are missing here (dropped by the server)",
  );
  assert.equal(defaultFormatEvent({ event: "page_loaded", url: "u" }), null);
});
