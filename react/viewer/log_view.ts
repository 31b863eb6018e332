/**
 * What LogViewer shows of a log (each entry's visible text, the level
 * counts, the entries the level filter keeps and which of them match the
 * search), kept up to date as the log grows: only new entries are read.
 */
import { stripAnsi } from "../ansi.ts";
import type { LogEntry, LogLevel } from "../types.ts";
import { findMatches, type SearchQuery } from "./search.ts";

/** LogViewer's derived data for one log. Updated in place by {@linkcode updateLogView}. */
export interface LogView {
  /** Whether ANSI codes were removed from `plain`. */
  ansi: boolean;
  /** The newest entry read (at `plain.length - 1`), to tell a grown log from another one. */
  last?: LogEntry;
  /** Each entry's visible text. */
  plain: string[];
  /** How many entries each level has. */
  counts: Record<string, number>;
  /** The filter and search `entries` and `matches` are for. */
  key: string;
  /** How many of the log's entries the filter has seen. */
  seen: number;
  /** The entries shown (not hidden by the level filter), and their texts. */
  entries: LogEntry[];
  texts: string[];
  /** The positions in `entries` of those that match the search. */
  matches: number[];
}

/**
 * Brings `view` up to date with `logs`. When `logs` extends the log `view`
 * was made from (its entry at the last position read is the same object),
 * only the new entries are read; otherwise (another job, or a new filter or
 * search) the data is made again from the whole log.
 */
export function updateLogView(
  view: LogView | undefined,
  logs: readonly LogEntry[],
  ansi: boolean,
  hidden: readonly LogLevel[],
  query: SearchQuery,
): LogView {
  const key = `${hidden}\n${query.matchCase === true}\n${query.text}`;
  const v: LogView = view?.ansi === ansi && view.plain.length <= logs.length &&
      logs[view.plain.length - 1] === view.last
    ? view
    : { ansi, plain: [], counts: { info: 0, success: 0, warning: 0, error: 0 }, ...fresh(key) };
  for (let i = v.plain.length; i < logs.length; i++) {
    const entry = logs[i];
    v.plain.push(ansi ? stripAnsi(entry.text) : entry.text);
    v.counts[entry.level]++;
  }
  v.last = logs[logs.length - 1];
  if (v.key !== key) Object.assign(v, fresh(key));
  const from = v.entries.length;
  for (let i = v.seen; i < logs.length; i++) {
    const entry = logs[i];
    if (!hidden.includes(entry.level)) {
      v.entries.push(entry);
      v.texts.push(v.plain[i]);
    }
  }
  v.seen = logs.length;
  for (const k of findMatches(v.texts, query, from)) v.matches.push(k);
  return v;
}

function fresh(key: string) {
  return { key, seen: 0, entries: [], texts: [], matches: [] };
}
