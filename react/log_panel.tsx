import {
  type CSSProperties,
  memo,
  type ReactElement,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useReducer,
  useRef,
  useState,
} from "react";
import { RowHeights } from "./row_heights.ts";
import type { LogEntry } from "./types.ts";

/**
 * Props of {@linkcode LogPanel}.
 *
 * @example
 * ```tsx
 * import type { LogPanelProps } from "@streamator/core/react";
 * const props: LogPanelProps = { logs: [], active: true, maxHeight: "240px" };
 * ```
 */
export interface LogPanelProps {
  /** The entries, from `useLogStream`. */
  logs: readonly LogEntry[];
  /** Whether the stream is live, from `useLogStream`. */
  active: boolean;
  /** Shown, pulsing, while active with no entries yet. Default `"⏳ Starting…"`. */
  waitingText?: ReactNode;
  /** The panel's CSS max-height (sets `--streamator-max-height`). Default `160px`. */
  maxHeight?: string;
  /** Appended to the root element's class (`"streamator-log"`). */
  className?: string;
  /** Inline style on the root element. */
  style?: CSSProperties;
  /** Renders one entry instead of the default time + text row. */
  renderEntry?: (entry: LogEntry, index: number) => ReactNode;
  /** The accessible name of the log region. Default `"Job log"`. */
  label?: string;
}

/** Extra px rendered above and below the visible rows. */
const OVERSCAN_PX = 200;
/** Extra rows rendered above and below, whatever their height. */
const OVERSCAN_ROWS = 4;
/** The most rows ever in the DOM at once. */
const MAX_ROWS = 400;
/** Within this many px of the bottom counts as at the bottom. */
const BOTTOM_SLACK_PX = 8;
/** Scroll events further apart than this start a new gesture. */
const GESTURE_GAP_MS = 200;
/** The viewport height assumed before the panel is laid out. */
const UNLAID_VIEWPORT_PX = 160;

/**
 * The live log: one row per entry (time, then text), with the level as a
 * class. Follows the newest entry while the reader is at the bottom, and
 * stays put once they scroll up, until they come back down. Only the rows in
 * view are in the DOM, so 100,000 entries scroll smoothly.
 *
 * Returns `null` when not active and empty. Text is rendered as text, never
 * as HTML.
 *
 * @example
 * ```tsx
 * import { LogPanel, useLogStream } from "@streamator/core/react";
 * // Styles: link react/log.css (npm: import "streamator-react/log.css").
 *
 * function JobLog({ url }: { url: string }) {
 *   const { logs, active } = useLogStream(url);
 *   return <LogPanel logs={logs} active={active} maxHeight="240px" />;
 * }
 * ```
 */
export function LogPanel(props: LogPanelProps): ReactElement | null {
  const {
    logs,
    active,
    waitingText = "⏳ Starting…",
    maxHeight,
    className,
    style,
    renderEntry,
    label = "Job log",
  } = props;
  const box = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const heights = useRef<RowHeights | null>(null);
  heights.current ??= new RowHeights();
  const model = heights.current;
  /** Whether to follow the newest entry. */
  const follow = useRef(true);
  /** The scrollTop the panel set itself last, to tell its own scrolling from the reader's. */
  const ownTop = useRef(-1);
  const width = useRef(-1);
  /** The reader's current scroll gesture: when its last event came, where it started. */
  const gesture = useRef({ at: 0, startHeight: 0, lastTop: 0 });
  /** The scrollTop last seen or set. */
  const lastTop = useRef(0);
  /** The content height after recent commits, newest last. */
  const heightsSeen = useRef<{ at: number; height: number }[]>([]);
  const [view, setView] = useState({ top: 0, height: 0 });
  const [, remeasured] = useReducer((n: number) => n + 1, 0);

  const count = logs.length;
  model.setCount(count);
  const total = model.total();
  const viewport = view.height > 0 ? view.height : UNLAID_VIEWPORT_PX;
  let first: number;
  let last: number;
  if (follow.current) {
    first = model.indexAt(total - viewport - OVERSCAN_PX);
    last = count - 1;
  } else {
    first = model.indexAt(view.top - OVERSCAN_PX);
    last = model.indexAt(view.top + viewport + OVERSCAN_PX);
  }
  first = Math.max(0, first - OVERSCAN_ROWS);
  last = Math.min(count - 1, last + OVERSCAN_ROWS, first + MAX_ROWS - 1);
  const padTop = model.offset(first);
  const padBottom = Math.max(0, total - model.offset(last + 1));

  const onScroll = useCallback(() => {
    const el = box.current;
    if (el === null) return;
    const top = el.scrollTop;
    const height = el.scrollHeight || heights.current!.total();
    if (top !== ownTop.current) {
      // The reader scrolled. A gesture (scroll events less than GESTURE_GAP_MS
      // apart) that heads down and ends where the bottom was when it began is
      // a return to the bottom, even if entries arrived meanwhile.
      const now = Date.now();
      const g = gesture.current;
      if (now - g.at > GESTURE_GAP_MS) {
        // The content may have grown between the reader's input and this
        // event: count from the height a moment before the gesture.
        g.startHeight = height;
        for (const sample of heightsSeen.current) {
          if (now - sample.at <= GESTURE_GAP_MS) {
            g.startHeight = Math.min(g.startHeight, sample.height);
          }
        }
        g.lastTop = lastTop.current;
      }
      g.at = now;
      const gap = height - el.clientHeight - top;
      const grown = Math.max(0, height - g.startHeight);
      const down = top >= g.lastTop;
      g.lastTop = top;
      follow.current = gap <= BOTTOM_SLACK_PX || (down && gap <= grown + BOTTOM_SLACK_PX);
      if (!follow.current) ownTop.current = -1;
    }
    lastTop.current = top;
    setView((v) =>
      v.top === top && v.height === el.clientHeight ? v : { top, height: el.clientHeight }
    );
  }, []);

  // Layout effects do not run on the server; plain effects stand in there.
  const useLayout = typeof document === "undefined" ? useEffect : useLayoutEffect;
  useLayout(() => {
    const el = box.current;
    const rows = rowsRef.current;
    if (el === null) return;
    if (el.clientWidth !== width.current) {
      if (width.current !== -1) model.reset();
      width.current = el.clientWidth;
    }
    let changed = false;
    if (rows !== null) {
      const children = rows.children;
      for (let k = 0; k < children.length; k++) {
        const height = children[k].getBoundingClientRect().height;
        if (height > 0 && model.measure(first + k, height)) changed = true;
      }
    }
    const seen = heightsSeen.current;
    seen.push({ at: Date.now(), height: el.scrollHeight || model.total() });
    if (seen.length > 16) seen.shift();
    if (follow.current) {
      el.scrollTop = el.scrollHeight || model.total();
      ownTop.current = el.scrollTop;
      lastTop.current = el.scrollTop;
    }
    if (el.clientHeight !== view.height || (!follow.current && el.scrollTop !== view.top)) {
      setView({ top: el.scrollTop, height: el.clientHeight });
    } else if (changed) {
      remeasured();
    }
  });

  if (!active && count === 0) return null;

  const rootStyle = {
    ...(maxHeight === undefined ? {} : { "--streamator-max-height": maxHeight }),
    maxHeight: "var(--streamator-max-height, 160px)",
    overflowY: "auto",
    ...style,
  } as CSSProperties;
  const rootClass = className ? `streamator-log ${className}` : "streamator-log";

  const rows: ReactNode[] = [];
  for (let i = first; i <= last && count > 0; i++) {
    const entry = logs[i];
    rows.push(
      renderEntry
        ? <div key={i} className="streamator-log-row">{renderEntry(entry, i)}</div>
        : <Row key={i} entry={entry} />,
    );
  }
  // Waiting (active, no entry yet) shows the pulsing text; nothing to scroll or focus then.
  return (
    <div
      ref={box}
      className={rootClass}
      style={rootStyle}
      role="log"
      aria-live="polite"
      aria-label={label}
      tabIndex={count === 0 ? undefined : 0}
      onScroll={count === 0 ? undefined : onScroll}
    >
      {count === 0 ? <div className="streamator-log-waiting">{waitingText}</div> : (
        <div
          ref={rowsRef}
          className="streamator-log-rows"
          style={{ paddingTop: padTop, paddingBottom: padBottom }}
        >
          {rows}
        </div>
      )}
    </div>
  );
}

/** One default row; entries never change once logged, so rows re-render only when new. */
const Row = memo(function Row({ entry }: { entry: LogEntry }): ReactElement {
  const level = entry.level !== "info" && typeof entry.level === "string"
    ? ` streamator-log-entry--${entry.level}`
    : "";
  return (
    <div className={`streamator-log-entry${level}`}>
      <span className="streamator-log-time">{entry.t}</span> {entry.text}
    </div>
  );
});
