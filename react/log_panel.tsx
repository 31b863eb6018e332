import {
  createElement,
  type CSSProperties,
  Fragment,
  type ReactElement,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useReducer,
  useRef,
} from "react";
import type { LineView } from "./carriage_return.ts";
import { DefaultRow } from "./default_row.tsx";
import type { LogPanelProps } from "./log_panel_props.ts";
import { entryTime } from "./row.ts";
import { createRowHeights, type RowHeights } from "./row_heights.ts";
import { createScrollGestures, type ScrollGestures } from "./scroll_gesture.ts";
import { StatusLine } from "./status_line.tsx";

export type { AnsiRenderer, LogPanelProps } from "./log_panel_props.ts";

/** Extra px rendered above and below the visible rows. */
const OVERSCAN_PX = 200;
/** Extra rows rendered above and below, whatever their height. */
const OVERSCAN_ROWS = 4;
/** The most rows ever in the DOM at once. */
const MAX_ROWS = 400;
/**
 * Rows are rendered for a view at least this tall, so that a panel still
 * growing towards its max-height as rows arrive is covered in one render.
 */
const MIN_VIEWPORT_PX = 400;

/**
 * The live log: one row per entry (time, then text), with the level as a
 * class. Follows the newest entry while the reader is at the bottom, and
 * stays put once they scroll up, until they come back down. Only the rows in
 * view are in the DOM, so 100,000 entries scroll smoothly.
 *
 * Given the hook's `status` (and `error`, `retry`), a status line under the
 * log says when the stream is reconnecting, failed (with a Retry button) or,
 * with `doneText`, ended; given `progressBar` (e.g. `ProgressBar`), a bar
 * above it shows the stream's `progress`. An entry's text shows what a
 * terminal would of its carriage returns (`\r`): the last segment of each
 * line; with `redrawLines={createLineView}`, consecutive `\r` redraws of a
 * line are one row.
 * Returns `null` when not active and empty (just the
 * status line, if any). Text is rendered as text, never as HTML. The root has
 * no inline style of its own, so a page's stylesheet (`className="log"`)
 * applies.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "react-dom/server";
 * import { LogPanel, useLogStream } from "@streamator/core/react";
 * // Styles: link react/log.css (npm: import "streamator-react/log.css").
 *
 * function JobLog({ url }: { url: string }) {
 *   const stream = useLogStream(url);
 *   return <LogPanel {...stream} maxHeight="240px" doneText="✔ Finished" />;
 * }
 *
 * // What it renders once the job is done, here rendered to HTML:
 * const html = renderToString(
 *   <LogPanel
 *     logs={[{ text: "Fetched 3 pages", t: "1.2s", level: "success" }]}
 *     active={false}
 *     status="done"
 *     maxHeight="240px"
 *     doneText="✔ Finished"
 *   />,
 * );
 * assert.match(html, /role="log"/);
 * assert.match(html, /<span class="streamator-log-time">1\.2s<\/span> (<!-- -->)?Fetched 3 pages/);
 * assert.match(html, /<div class="streamator-log-status" role="status"[^>]*>✔ Finished<\/div>/);
 * ```
 */
export function LogPanel(props: LogPanelProps): ReactElement | null {
  return panel(props, props.renderEntry === undefined);
}

/**
 * `LogPanel` for a `renderEntry` whose rows hold no state (LogViewer's):
 * its rows reuse their DOM when the view jumps, as the default rows do.
 */
export function StatelessRowsPanel(props: LogPanelProps): ReactElement | null {
  return panel(props, true);
}

/** LogPanel; `reuseRows`: whether rows may take other entries' keys (see `shift`). */
function panel(props: LogPanelProps, reuseRows: boolean): ReactElement | null {
  const {
    active,
    waitingText = "⏳ Starting…",
    maxHeight,
    className,
    style,
    renderEntry,
    ansi,
    label = "Job log",
    autoScroll = true,
    formatTime,
    scrollTo,
    status,
    progress,
    progressBar,
    redrawLines,
  } = props;
  /** With `redrawLines`, the rows: each run of `\r` redraws of a line as its newest entry. */
  const lines = useRef<LineView | null>(null);
  const logs = redrawLines ? (lines.current ??= redrawLines())(props.logs, true) : props.logs;
  const box = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const heights = useRef<RowHeights | null>(null);
  heights.current ??= createRowHeights();
  const model = heights.current;
  /** Whether to follow the newest entry. */
  const follow = useRef(autoScroll);
  /** The `autoScroll` last rendered with (read by the scroll handler). */
  const followed = useRef(autoScroll);
  if (followed.current !== autoScroll) follow.current = followed.current = autoScroll;
  /** The last `scrollTo` object, and the row still to bring into view (-1: none). */
  const jumped = useRef<object | undefined>(undefined);
  const pending = useRef(-1);
  if (scrollTo && scrollTo !== jumped.current) {
    jumped.current = scrollTo;
    pending.current = scrollTo.index;
    follow.current = false;
  }
  /** The scrollTop the panel set itself last, to tell its own scrolling from the reader's. */
  const ownTop = useRef(-1);
  const width = useRef(-1);
  /** The reader's scroll gestures, and the content heights they are measured against. */
  const gestures = useRef<ScrollGestures | null>(null);
  gestures.current ??= createScrollGestures();
  /** The scrollTop last seen or set. */
  const lastTop = useRef(0);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  /** The rows last rendered, `[first, last]`, and what the default rows' keys add to their index. */
  const shown = useRef([0, -1]);
  const shift = useRef(0);

  const count = logs.length;
  model.setCount(count);
  /** The rows to render: `[first, last]`. */
  const place = (): number[] => {
    const total = model.total();
    // The view as laid out (read, not measured: nothing has changed it since).
    const el = box.current;
    const viewport = Math.max(MIN_VIEWPORT_PX, el ? el.clientHeight : 0);
    // The top of the view: the bottom's when following, the row to show when
    // jumping, else the reader's.
    const top = follow.current
      ? total - viewport
      : pending.current < 0
      ? el?.scrollTop ?? 0
      : model.offset(pending.current) - viewport / 2;
    // Following, the rows above the view change on every new entry: only a
    // few of them are rendered (the reader's first scroll up renders more).
    const above = follow.current ? 0 : OVERSCAN_PX;
    const first = Math.max(0, model.indexAt(top - above) - OVERSCAN_ROWS);
    const last = Math.min(
      count - 1,
      model.indexAt(top + viewport + OVERSCAN_PX) + OVERSCAN_ROWS,
      first + MAX_ROWS - 1,
    );
    return [first, last];
  };
  const placed = place();
  const [first, last] = placed;
  // With `reuseRows`, the rows' keys are `i + shift`: a row keeps its key
  // while the view moves. When the view jumps past every row it showed
  // (following a burst), the new rows take the old rows' keys, so that their
  // DOM is updated in place rather than removed and made anew. (Rows from a
  // renderEntry of the app keep their index as key: they may hold state of
  // their entry.)
  const [shownFirst, shownLast] = shown.current;
  if (first > shownLast || last < shownFirst) shift.current += shownFirst - first;
  shown.current = placed;
  /** The padding that stands in for the rows above and below those in the DOM. */
  const padding = () => ({
    paddingTop: `${model.offset(first)}px`,
    paddingBottom: `${model.total() - model.offset(last + 1)}px`,
  });

  // Made anew each render, so that place() sees this render's rows.
  const onScroll = () => {
    const el = box.current;
    if (el === null) return;
    const top = el.scrollTop;
    if (top !== ownTop.current) {
      // The reader scrolled.
      pending.current = -1;
      follow.current = followed.current && gestures.current!.atBottom(el, lastTop.current);
      if (!follow.current) ownTop.current = -1;
      // Render again only when other rows should be in the DOM.
      if (place().join() !== placed.join()) rerender();
    }
    // (The panel's own scrolling, following or a jump, was placed by the layout effect.)
    lastTop.current = top;
  };

  // Layout effects do not run on the server; plain effects stand in there.
  const useLayout = typeof document === "undefined" ? useEffect : useLayoutEffect;
  useLayout(() => {
    const el = box.current;
    // Nothing to measure or follow while waiting for the first entry: no
    // layout is forced then (the browser lays the waiting text out in its own frame).
    if (el === null || count === 0) return;
    if (el.clientWidth !== width.current) {
      // Nothing is measured before the first layout, so this resets nothing then.
      model.reset();
      width.current = el.clientWidth;
    }
    let changed = false;
    // renderEntry returns one element per row (see its doc).
    const list = rowsRef.current!;
    for (let k = 0; k < list.children.length; k++) {
      const height = list.children[k].getBoundingClientRect().height;
      if (height > 0 && model.measure(first + k, height)) changed = true;
    }
    // Heights just measured move the padding: set it here, so that they need
    // no second render.
    Object.assign(list.style, padding());
    gestures.current!.grew(el.scrollHeight);
    const i = pending.current;
    if (follow.current || i >= 0) {
      el.scrollTop = follow.current
        ? el.scrollHeight
        : model.offset(i) - (el.clientHeight - model.offset(i + 1) + model.offset(i)) / 2;
      ownTop.current = lastTop.current = el.scrollTop;
      // Measuring may move the row: place it again until nothing changes.
      if (!changed) pending.current = -1;
    }
    // A second render before the frame is painted comes only after a jump
    // (until its row stays put), or when the rows in the DOM leave part of the
    // view empty (a view with no height, hidden, has none). Otherwise other
    // rows (more overscan on one side) wait for the next render: new entries,
    // or the reader's scrolling.
    const empty = el.clientHeight > 0 && (
      model.indexAt(el.scrollTop) < first ||
      model.indexAt(el.scrollTop + el.clientHeight) > last
    );
    if ((i >= 0 && (changed || place().join() !== placed.join())) || empty) rerender();
  });

  const rootStyle = maxHeight === undefined
    ? style
    : { "--streamator-max-height": maxHeight, ...style } as CSSProperties;
  const rootClass = className ? `streamator-log ${className}` : "streamator-log";

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const entry = logs[i];
    const key = reuseRows ? i + shift.current : i;
    rows.push(
      renderEntry
        ? <Fragment key={key}>{renderEntry(entry, i)}</Fragment>
        : <DefaultRow key={key} entry={entry} t={entryTime(entry, formatTime)} ansi={ansi} />,
    );
  }
  // Not active and empty: just the status line, if any. Waiting (active, no
  // entry yet) shows the pulsing text; nothing to scroll or focus then. The
  // status line keeps its place in the tree either way, so it keeps the focus.
  return (
    <Fragment>
      {(active || count > 0) && (
        <div
          ref={box}
          className={rootClass}
          style={rootStyle}
          role="log"
          aria-live="polite"
          aria-label={label}
          tabIndex={count === 0 ? undefined : 0}
          onScroll={onScroll}
        >
          {count === 0
            ? <div className="streamator-log-waiting">{waitingText}</div>
            : (
              <div ref={rowsRef} className="streamator-log-rows" style={padding()}>
                {rows}
              </div>
            )}
        </div>
      )}
      {progressBar && progress &&
        createElement(progressBar, { progress, outcome: props.outcome })}
      {status !== undefined && <StatusLine {...props} />}
    </Fragment>
  );
}
