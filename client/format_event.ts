import type { FormatEvent, RawEvent } from "./types.ts";

/**
 * A label for one kind of event: the text to show for it, or `null` to drop it.
 */
export type EventLabel = (raw: RawEvent) => string | null | undefined;

/** A field as text when it is a non-empty string or a finite number. */
function field(raw: RawEvent, name: string): string | undefined {
  const value = raw[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `" (text)"` when text is there, else `""`. */
function paren(text: string | undefined): string {
  return text === undefined ? "" : ` (${text})`;
}

/**
 * Labels for the events the audible-toolkit packages emit, using the event's
 * fields where it has them (`url`, `query`, `model`, `count`, ...). Merged under
 * your own labels by {@linkcode makeFormatEvent}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BASE_EVENT_LABELS } from "@streamator/core/react";
 * assert.equal(
 *   BASE_EVENT_LABELS.page_loaded({ event: "page_loaded", url: "https://example.com" }),
 *   "📄 Loaded https://example.com",
 * );
 * ```
 */
export const BASE_EVENT_LABELS: Readonly<Record<string, EventLabel>> = /* @__PURE__ */ Object
  .freeze({
    page_loaded: (e: RawEvent) => `📄 Loaded ${field(e, "url") ?? "page"}`,
    batch_started: (e: RawEvent) => {
      const size = field(e, "size") ?? field(e, "count");
      const batch = field(e, "batch") ?? field(e, "index");
      const of = field(e, "total");
      return `📦 Batch${
        batch === undefined ? "" : ` ${batch}${of === undefined ? "" : `/${of}`}`
      }` +
        ` started${size === undefined ? "" : ` (${size} items)`}`;
    },
    loading_strategy: (e: RawEvent) =>
      `🧭 Loading strategy: ${field(e, "strategy") ?? field(e, "name") ?? "default"}`,
    llm_started: (e: RawEvent) => `🤖 Asking ${field(e, "model") ?? "the model"}…`,
    llm_done: (e: RawEvent) => {
      const tokens = field(e, "tokens");
      return `🤖 ${field(e, "model") ?? "Model"} answered${
        tokens === undefined ? "" : ` (${tokens} tokens)`
      }`;
    },
    cache_hit: (e: RawEvent) => `⚡ Cache hit${paren(field(e, "key") ?? field(e, "url"))}`,
    search_started: (e: RawEvent) => {
      const query = field(e, "query");
      return query === undefined ? "🔍 Searching…" : `🔍 Searching for "${query}"…`;
    },
    search_done: (e: RawEvent) => {
      const count = field(e, "count") ?? field(e, "results");
      return `🔍 Search done${count === undefined ? "" : `: ${count} results`}`;
    },
    browser_ready: () => "🌐 Browser ready",
    retry: (e: RawEvent) => {
      const attempt = field(e, "attempt");
      const reason = field(e, "reason") ?? field(e, "error");
      return `🔁 Retrying${attempt === undefined ? "" : ` (attempt ${attempt})`}${
        reason === undefined ? "" : `: ${reason}`
      }`;
    },
  });

/**
 * The default `formatEvent`: the event's `message` when it is a string; for
 * the stream's own `missed` event, a line saying how many entries were dropped;
 * else `null` (the entry is dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultFormatEvent } from "@streamator/core/react";
 * assert.equal(defaultFormatEvent({ event: "log", message: "hi" }), "hi");
 * assert.equal(defaultFormatEvent({ event: "cache_hit" }), null);
 * ```
 */
export function defaultFormatEvent(raw: RawEvent): string | null {
  if (typeof raw.message === "string") return raw.message;
  if (raw.event === "missed") {
    const count = field(raw, "count");
    return `… ${count ?? "some"} entries are missing here (dropped by the server)`;
  }
  return null;
}

/**
 * A `formatEvent` that labels events by name: your `overrides` over
 * {@linkcode BASE_EVENT_LABELS}. An event with no label shows its `message`,
 * else is dropped. A label that throws falls back the same way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeFormatEvent } from "@streamator/core/react";
 * const formatEvent = makeFormatEvent({
 *   scraping: (e) => `🔍 Scraping ${e.url}`,
 *   uploaded: (e) => `📤 Uploaded ${e.file}`,
 * });
 * assert.equal(
 *   formatEvent({ event: "scraping", url: "https://example.com" }),
 *   "🔍 Scraping https://example.com",
 * );
 * assert.equal(formatEvent({ event: "log", message: "plain" }), "plain");
 * assert.equal(formatEvent({ event: "cache_hit", key: "page-1" }), "⚡ Cache hit (page-1)");
 * ```
 */
export function makeFormatEvent(
  overrides: Readonly<Record<string, EventLabel>> = {},
): FormatEvent {
  if (overrides === null || typeof overrides !== "object") {
    throw new TypeError("makeFormatEvent: overrides must be an object of event name → function");
  }
  const labels = new Map<string, EventLabel>(Object.entries(BASE_EVENT_LABELS));
  for (const [name, label] of Object.entries(overrides)) {
    if (typeof label !== "function") {
      throw new TypeError(
        `makeFormatEvent: overrides.${name} must be a function (raw) => string | null`,
      );
    }
    labels.set(name, label);
  }
  return (raw: RawEvent) => {
    const label = typeof raw.event === "string" ? labels.get(raw.event) : undefined;
    if (label !== undefined) {
      try {
        const text = label(raw);
        if (text === null) return null;
        if (typeof text === "string") return text;
      } catch {
        // a broken label must not break the stream: fall back below
      }
    }
    return defaultFormatEvent(raw);
  };
}
