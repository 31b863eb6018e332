/**
 * What LogViewer shows of a log (the level counts, the entries the level
 * filter keeps and which of them match the search), kept up to date as the
 * log grows: only new entries are read, and in time slices, so that a burst
 * of 100,000 entries or a new search over them never holds the main thread
 * for long.
 */
import { stripAnsi } from "../ansi.ts";
import type { LogEntry, LogLevel } from "../../client/types.ts";
import { findMatches, type SearchQuery } from "./search.ts";

/** How many entries are counted between two looks at the clock. */
const CHUNK = 512;
/**
 * How many entries are searched between two looks at the clock: fewer, as
 * each is stripped of ANSI codes first. A render with no time left searches
 * one such slice, which stays short at a phone's CPU speed.
 */
const SEARCH_CHUNK = 64;

/**
 * LogViewer's derived data for one log. Updated in place by {@linkcode updateLogView}.
 * No entry's visible text is kept: the search makes it again, a slice at a
 * time, so that a long log is held once (as its entries), not twice.
 */
export interface LogView {
  /** Whether ANSI codes are skipped in the texts searched and shown. */
  ansi: boolean;
  /** How many entries of the log have been read (counted, and filtered). */
  read: number;
  /** The newest entry read (at `read - 1`), to tell a grown log from another one. */
  last?: LogEntry;
  /** How many of the entries read so far each level has. */
  counts: Record<LogLevel, number>;
  /** The filter and search `entries` and `matches` are for. */
  key: string;
  /**
   * The entries shown (not hidden by the level filter). With no level
   * hidden, the log itself, whole at once, whatever has been read.
   */
  entries: readonly LogEntry[];
  /** How many of `entries` the filter has read (all of those read, with nothing hidden). */
  shown: number;
  /** How many of `entries` the search has looked at. */
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
 * reads the log again.
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
  const v: LogView = view?.ansi === ansi && view.read <= logs.length &&
      logs[view.read - 1] === view.last
    ? view
    : {
      ansi,
      read: 0,
      counts: { info: 0, success: 0, warning: 0, error: 0 },
      ...fresh(key),
    };
  if (v.key !== key) Object.assign(v, fresh(key));
  // With nothing hidden, the entries are the log itself (new on every update).
  if (hidden.length === 0) v.entries = logs;

  // Each entry's level count, in slices (at least one per call).
  do {
    const end = Math.min(logs.length, v.read + CHUNK);
    for (; v.read < end; v.read++) v.counts[logs[v.read].level]++;
  } while (v.read < logs.length && inTime());
  v.last = logs[v.read - 1];

  // The entries the filter keeps, among those read.
  if (hidden.length === 0) v.shown = v.read;
  else {
    const shown = v.entries as LogEntry[];
    for (; v.shown < v.read; v.shown++) {
      const entry = logs[v.shown];
      if (!hidden.includes(entry.level)) shown.push(entry);
    }
  }
  const searchable = hidden.length === 0 ? v.read : v.entries.length;

  // Which of them match the search, in slices (at least one per call, so
  // that the search moves on while a burst keeps the reading busy). Each
  // slice's visible texts are made for it and dropped after.
  for (let first = true; v.searched < searchable && (first || inTime()); first = false) {
    const end = Math.min(searchable, v.searched + SEARCH_CHUNK);
    const texts: string[] = [];
    for (let i = v.searched; i < end; i++) texts.push(visibleText(v.entries[i], ansi));
    for (const k of findMatches(texts, query)) v.matches.push(v.searched + k);
    v.searched = end;
  }
  return v;
}

/** Whether `view` has not read all of `logs` yet (or not searched all it read). */
export function isBehind(view: LogView, logs: readonly LogEntry[]): boolean {
  return view.read < logs.length ||
    view.searched < (view.entries === logs ? view.read : view.entries.length);
}

/** The visible text of shown entry `index` (made when asked: a row on screen). */
export function textAt(view: LogView, index: number): string {
  return visibleText(view.entries[index], view.ansi);
}

/** What an entry shows: its text, without ANSI codes when `ansi`. */
export function visibleText(entry: LogEntry, ansi: boolean): string {
  return ansi ? stripAnsi(entry.text) : entry.text;
}

/** Empty filter and search results for `key`. */
function fresh(key: string) {
  return {
    key,
    entries: [] as LogEntry[],
    shown: 0,
    searched: 0,
    matches: [] as number[],
  };
}
