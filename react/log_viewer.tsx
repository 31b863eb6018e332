/**
 * LogViewer: LogPanel with tools around it (search, level filter, follow,
 * copy, download, ANSI colours), for people who read long logs. A separate
 * component, so that the plain panel stays small.
 */
import {
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
  useEffect,
  useRef,
  useState,
} from "react";
import { StatelessRowsPanel } from "./log_panel.tsx";
import { BOTTOM_SLACK_PX } from "./scroll_gesture.ts";
import { entryClassName, entryTime } from "./row.ts";
import type { LogEntry, LogLevel } from "../client/types.ts";
import { copyText, downloadText, eventsJsonl, logText } from "./viewer/export.ts";
import { highlight } from "./viewer/highlight.ts";
import { DEFAULT_LABELS } from "./viewer/labels.ts";
import { textAt, visibleText } from "./viewer/log_view.ts";
import { matchRanges } from "./viewer/search.ts";
import { useLogView } from "./viewer/use_log_view.ts";
import { createLineView, type LineView } from "./carriage_return.ts";
import { ProgressBar } from "./progress_bar.tsx";
import type { LogViewerProps } from "./log_viewer_props.ts";

export type { LogViewerProps } from "./log_viewer_props.ts";

const LEVELS: readonly LogLevel[] = ["info", "success", "warning", "error"];
/** The most occurrences marked in one entry; the rest of its text stays plain. */
const MARKS = 100;

/**
 * A log viewer: the live `LogPanel` with a search box (matches highlighted,
 * next/previous, case option), a level filter, a follow toggle, "Copy all"
 * and downloads (`.txt`, and `.jsonl` of the raw events when given
 * `events`), optional ANSI colours, and the job's progress bar (from
 * `progress`). Consecutive `\r` redraws of a line show as one row
 * (`redrawLines`, on by default). Copy and download take the whole log from
 * `logs`, every entry, not from the screen. Rows stay windowed: searching
 * 100,000 entries renders only the rows in view. The match count is of entries
 * ("3 of 120": the third of 120 entries containing the query), and
 * next/previous move between those entries; an entry marks its first 100
 * occurrences and shows the rest of its text plain. While the log grows
 * (each new `logs` array starts with the previous one's entries), only the
 * new entries are read. The log is read for the search, the filter and the
 * counts a few ms at a time, so that the page stays responsive: on a long
 * log the counts fill in over the next frames, with the match count marked
 * `aria-busy` until they are complete, and a new search shows its first
 * match as soon as it is found.
 *
 * Keyboard: every control is a native button, box or checkbox. In the search
 * box, Enter / Shift+Enter go to the next / previous match and Escape
 * clears it; anywhere in the viewer, Ctrl+F (⌘F) focuses the search box and
 * F3 / Shift+F3 move between matches.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "react-dom/server";
 * import { LogViewer, useLogStream } from "@streamator/core/react";
 *
 * function BuildLog({ jobId }: { jobId: string }) {
 *   const stream = useLogStream(`/log/${jobId}/stream`);
 *   return (
 *     <LogViewer
 *       {...stream}
 *       ansi
 *       fileName={`build-${jobId}`}
 *       events={() => fetch(`/log/${jobId}`).then((r) => r.json()).then((s) => s.logs)}
 *       maxHeight="400px"
 *     />
 *   );
 * }
 *
 * // Its tools and rows for one coloured entry, here rendered to HTML:
 * const html = renderToString(
 *   <LogViewer
 *     logs={[{ text: "\x1b[32m✔\x1b[39m compiled", t: "0.5s", level: "info" }]}
 *     active={false}
 *     ansi
 *   />,
 * );
 * assert.match(html, /<input type="search" aria-label="Search"/);
 * assert.match(html, /Info(<!-- -->)? <span class="streamator-viewer-level-count">1<\/span>/);
 * assert.match(html, /<span class="streamator-ansi-fg2">✔<\/span> compiled/);
 * ```
 */
export function LogViewer(props: LogViewerProps): ReactElement | null {
  const { logs, ansi, events, fileName = "log", formatTime, theme, redrawLines = true } = props;
  const labels = { ...DEFAULT_LABELS, ...props.labels };
  const [query, setQuery] = useState("");
  const [matchCase, setMatchCase] = useState(false);
  const [hidden, setHidden] = useState<readonly LogLevel[]>([]);
  const [follow, setFollow] = useState(props.autoScroll ?? true);
  const [current, setCurrent] = useState(0);
  const [jump, setJump] = useState<{ index: number }>();
  const [said, setSaid] = useState("");
  const searchBox = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  /** Whether a new search's first match is still to show (once found). */
  const showFirst = useRef(false);
  /** The rows: each entry's text as its carriage returns leave it, redraws of a line as one. */
  const lines = useRef<LineView>(undefined);
  const rows = (lines.current ??= createLineView())(logs, redrawLines);
  const search = { text: query, matchCase };
  const [view, behind] = useLogView(rows, ansi === true, hidden, search);
  const { counts, matches } = view;
  const at = matches.length === 0 ? -1 : Math.min(current, matches.length - 1);

  /** Shows match `k` (wrapping around), and stops following to keep it in view. */
  const go = (k: number) => {
    if (matches.length === 0) return;
    const n = (k + matches.length) % matches.length;
    setCurrent(n);
    setJump({ index: matches[n] });
    setFollow(false);
  };

  // A new search (or filter) shows its first match, as a browser's find does:
  // once found, when the log is long.
  useEffect(() => {
    showFirst.current = true;
  }, [query, matchCase, hidden]);
  useEffect(() => {
    if (showFirst.current && (matches.length > 0 || !behind)) {
      showFirst.current = false;
      go(0); // (nothing to show when the whole log has no match)
    }
  });

  // The panel brings the current match's entry to the middle of the view; in
  // an entry taller than the view the match itself may still be out of it, so
  // once the jump is laid out, the match is brought to the middle as well.
  useEffect(() => {
    // The viewer's own window (a frame's, when it is in one).
    const win = root.current?.ownerDocument.defaultView;
    if (jump === undefined || !win) return;
    const frame = win.requestAnimationFrame(() => {
      const box = root.current?.querySelector<HTMLElement>(".streamator-log");
      const mark = box?.querySelector(".streamator-match--current");
      if (!box || !mark) return;
      const view = box.getBoundingClientRect();
      const at = mark.getBoundingClientRect();
      if (at.top < view.top || at.bottom > view.bottom) {
        box.scrollTop += at.top - view.top - (box.clientHeight - at.height) / 2;
      }
    });
    return () => win.cancelAnimationFrame(frame);
  }, [jump]);

  // The Follow box shows what the log does: scrolling up unticks it, scrolling
  // back to the bottom ticks it again. (Scroll events do not bubble: listen
  // in the capture phase.)
  useEffect(() => {
    const el = root.current;
    if (el === null) return;
    const onScroll = (event: Event) => {
      const box = event.target as HTMLElement;
      if (!box.classList?.contains("streamator-log")) return;
      setFollow(box.scrollHeight - box.clientHeight - box.scrollTop <= BOTTOM_SLACK_PX);
    };
    el.addEventListener("scroll", onScroll, true);
    return () => el.removeEventListener("scroll", onScroll, true);
  }, []);

  // Every entry as logged, each redraw of a line included.
  const wholeLog = () =>
    logText(
      logs.map((e) => ({ t: entryTime(e, formatTime), text: visibleText(e, ansi === true) })),
    );

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f") {
      e.preventDefault();
      searchBox.current?.focus();
      searchBox.current?.select();
    } else if (e.key === "F3") {
      e.preventDefault();
      go(at + (e.shiftKey ? -1 : 1));
    }
  };

  const currentEntry = at < 0 ? -1 : matches[at];
  const renderEntry = (entry: LogEntry, i: number): ReactNode => (
    <div className={entryClassName(entry.level)}>
      <span className="streamator-log-time">{entryTime(entry, formatTime)}</span>{" "}
      {highlight(entry.text, ansi, matchRanges(textAt(view, i), search, MARKS), i === currentEntry)}
    </div>
  );

  const rootClass = [
    "streamator-viewer",
    theme && `streamator-theme-${theme}`,
    props.viewerClassName,
  ]
    .filter(Boolean).join(" ");
  return (
    <div ref={root} className={rootClass} onKeyDown={onKeyDown}>
      <div className="streamator-viewer-bar" role="group" aria-label={labels.tools}>
        <span className="streamator-viewer-group">
          <input
            ref={searchBox}
            type="search"
            aria-label={labels.search}
            aria-keyshortcuts="Control+F Meta+F"
            placeholder={labels.search}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") go(at + (e.shiftKey ? -1 : 1));
              else if (e.key === "Escape") setQuery("");
            }}
          />
          <button
            type="button"
            aria-label={labels.previous}
            title={labels.previous}
            disabled={at < 0}
            onClick={() => go(at - 1)}
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={labels.next}
            title={labels.next}
            disabled={at < 0}
            onClick={() => go(at + 1)}
          >
            ↓
          </button>
          <span className="streamator-viewer-count" role="status" aria-busy={behind || undefined}>
            {query === "" ? "" : at < 0 ? labels.noMatches : labels.matches(at + 1, matches.length)}
          </span>
          <label>
            <input
              type="checkbox"
              checked={matchCase}
              onChange={(e) => setMatchCase(e.target.checked)}
            />
            {labels.matchCase}
          </label>
        </span>
        <span className="streamator-viewer-group" role="group" aria-label={labels.levels}>
          {LEVELS.map((level) => (
            <button
              key={level}
              type="button"
              aria-pressed={!hidden.includes(level)}
              onClick={() =>
                setHidden((h) => h.includes(level) ? h.filter((l) => l !== level) : [...h, level])}
            >
              {labels[level]} <span className="streamator-viewer-level-count">{counts[level]}</span>
            </button>
          ))}
        </span>
        <span className="streamator-viewer-group">
          <label>
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
            {labels.follow}
          </label>
          <button
            type="button"
            onClick={async () =>
              setSaid(await copyText(wholeLog()) ? labels.copied(logs.length) : labels.copyFailed)}
          >
            {labels.copy}
          </button>
          <button
            type="button"
            onClick={() => downloadText(`${fileName}.txt`, wholeLog(), "text/plain;charset=utf-8")}
          >
            {labels.downloadText}
          </button>
          {events && (
            <button
              type="button"
              onClick={async () => {
                try {
                  const raw = typeof events === "function" ? await events() : events;
                  if (!Array.isArray(raw)) {
                    const got = raw === null ? "null" : typeof raw;
                    throw new TypeError(`events gave ${got}, not an array of events`);
                  }
                  downloadText(`${fileName}.jsonl`, eventsJsonl(raw), "application/x-ndjson");
                } catch (error) {
                  setSaid(`${labels.downloadFailed}: ${(error as Error)?.message ?? error}`);
                }
              }}
            >
              {labels.downloadEvents}
            </button>
          )}
          <span className="streamator-viewer-said" role="status">{said}</span>
        </span>
      </div>
      <StatelessRowsPanel
        {...props}
        ansi={undefined}
        logs={view.entries}
        renderEntry={renderEntry}
        redrawLines={undefined}
        progressBar={props.progressBar ?? ProgressBar}
        autoScroll={follow}
        scrollTo={jump}
      />
    </div>
  );
}
