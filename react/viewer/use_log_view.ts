/**
 * LogViewer's derived data (level counts, the entries the level filter keeps,
 * the search's matches) as a hook: a render reads only a few hundred entries,
 * and the rest of the log is read in tasks of their own between frames.
 */
import { useEffect, useReducer, useRef } from "react";
import type { LogEntry, LogLevel } from "../../client/types.ts";
import { isBehind, type LogView, updateLogView } from "./log_view.ts";
import type { SearchQuery } from "./search.ts";

/**
 * How long one task may spend reading the log for the search, the level
 * filter and the counts: short, so that neither a burst of entries nor a new
 * search over a long log holds the main thread.
 */
const SLICE_MS = 4;
/** How often the counts are shown again while the log is read (when no new entries render them). */
const PROGRESS_MS = 100;

/**
 * The {@linkcode LogView} of `rows` for this filter and search, updated where
 * the log grew. While it is behind, the rest is read a slice per task, and
 * the component renders again now and then (every `PROGRESS_MS`) and once
 * all is read, so that the counts fill in over the next frames. Gives the
 * view as read so far, and whether part of the log is still to read (the
 * counts and matches are not complete yet).
 */
export function useLogView(
  rows: readonly LogEntry[],
  ansi: boolean,
  hidden: readonly LogLevel[],
  search: SearchQuery,
): [view: LogView, behind: boolean] {
  const viewRef = useRef<LogView>(undefined);
  const [, readMore] = useReducer((n: number) => n + 1, 0);
  const view = viewRef.current = updateLogView(viewRef.current, rows, ansi, hidden, search, 0);
  const behind = isBehind(view, rows);
  useEffect(() => {
    if (!behind) return;
    let reading = setTimeout(function read() {
      const next = updateLogView(viewRef.current, rows, ansi, hidden, search, SLICE_MS);
      if (isBehind(next, rows)) reading = setTimeout(read, 0);
      else readMore();
    }, 0);
    const progress = setTimeout(readMore, PROGRESS_MS);
    return () => {
      clearTimeout(reading);
      clearTimeout(progress);
    };
  });
  return [view, behind];
}
