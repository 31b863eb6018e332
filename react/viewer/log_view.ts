/**
 * What LogViewer shows of a log (each entry's visible text, the level
 * counts, the entries the level filter keeps and which of them match the
 * search), kept up to date as the log grows: only new entries are read, and
 * in time slices, so that a burst of 100,000 entries or a new search over
 * them never holds the main thread for long.
 */
import { stripAnsi } from "../ansi.ts";
import type { LogEntry, LogLevel } from "../../client/types.ts";
import { findMatches, type SearchQuery } from "./search.ts";

/** How many entries are read between two looks at the clock. */
const CHUNK = 512;

/** LogViewer's derived data for one log. Updated in place by {@linkcode updateLogView}. */
export interface LogView {
  /** Whether ANSI codes were removed from `plain`. */
  ansi: boolean;
  /** The newest entry read (at `plain.length - 1`), to tell a grown log from another one. */
  last?: LogEntry;
  /** The visible text of the entries read so far (the first `plain.length` of the log). */
  plain: string[];
  /** How many of the entries read so far each level has. */
  counts: Record<LogLevel, number>;
  /** The filter and search `entries` and `matches` are for. */
  key: string;
  /** How many of the read entries the filter has seen. */
  seen: number;
  /**
   * The entries shown (not hidden by the level filter). With no level
   * hidden, the log itself, whole at once, whatever has been read.
   */
  entries: readonly LogEntry[];
  /** The visible texts of `entries`, as far as they have been read. */
  texts: string[];
  /** How many of `texts` the search has looked at. */
  searched: number;
  /** The positions in `entries` of those that match the search, among the `searched` first. */
  matches: number[];
}

/**
 * Brings `view` up to date with `logs`, for at most about `budgetMs` (then
 * {@linkcode isBehind} says more is to do: call it again). When `logs`
 * extends the log `view` was made from (its entry at the last position read
 * is the same object), only the new entries are read; otherwise (another
 * job) the data is made again from the whole log, and a new filter or search
 * reads the log's texts again.
 */
export function updateLogView(
  view: LogView | undefined,
  logs: readonly LogEntry[],
  ansi: boolean,
  hidden: readonly LogLevel[],
  query: SearchQuery,
  budgetMs = Infinity,
): LogView {
  const deadline = performance.now() + budgetMs;
  const inTime = () => performance.now() < deadline;
  const key = `${hidden}\n${query.matchCase === true}\n${query.text}`;
  const v: LogView = view?.ansi === ansi && view.plain.length <= logs.length &&
      logs[view.plain.length - 1] === view.last
    ? view
    : {
      ansi,
      plain: [],
      counts: { info: 0, success: 0, warning: 0, error: 0 },
      ...fresh(key),
    };
  if (v.key !== key) Object.assign(v, fresh(key));
  // With nothing hidden, the entries are the log itself (new on every update)
  // and their texts those read.
  if (hidden.length === 0) {
    v.entries = logs;
    v.texts = v.plain;
  }

  // Each entry's visible text and its level's count, in slices (at least one per call).
  do {
    const end = Math.min(logs.length, v.plain.length + CHUNK);
    for (let i = v.plain.length; i < end; i++) {
      const entry = logs[i];
      v.plain.push(visibleText(entry, ansi));
      v.counts[entry.level]++;
    }
  } while (v.plain.length < logs.length && inTime());
  v.last = logs[v.plain.length - 1];

  // The entries the filter keeps, among those read.
  if (hidden.length > 0) {
    const shown = v.entries as LogEntry[];
    for (; v.seen < v.plain.length; v.seen++) {
      const entry = logs[v.seen];
      if (!hidden.includes(entry.level)) {
        shown.push(entry);
        v.texts.push(v.plain[v.seen]);
      }
    }
  }

  // Which of them match the search, in slices (at least one per call, so
  // that the search moves on while a burst keeps the reading busy).
  for (let first = true; v.searched < v.texts.length && (first || inTime()); first = false) {
    const end = Math.min(v.texts.length, v.searched + CHUNK);
    for (const k of findMatches(v.texts.slice(v.searched, end), query)) {
      v.matches.push(v.searched + k);
    }
    v.searched = end;
  }
  return v;
}

/** Whether `view` has not read all of `logs` yet (or not searched all it read). */
export function isBehind(view: LogView, logs: readonly LogEntry[]): boolean {
  return view.plain.length < logs.length || view.searched < view.texts.length;
}

/**
 * The visible text of shown entry `index`: read already, or read now (a
 * row on screen whose entry the slices have not reached yet).
 */
export function textAt(view: LogView, index: number): string {
  return view.texts[index] ?? visibleText(view.entries[index], view.ansi);
}

/** What an entry shows: its text, without ANSI codes when `ansi`. */
export function visibleText(entry: LogEntry, ansi: boolean): string {
  return ansi ? stripAnsi(entry.text) : entry.text;
}

/** Empty filter and search results for `key`. */
function fresh(key: string) {
  return {
    key,
    seen: 0,
    entries: [] as LogEntry[],
    texts: [] as string[],
    searched: 0,
    matches: [] as number[],
  };
}
