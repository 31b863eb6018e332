/** The props of LogPanel, and the stream states its status line knows. */
import type { ComponentType, CSSProperties, ReactNode } from "react";
import type { Outcome, Progress, StreamStatus } from "../client/stream_types.ts";
import type { ProgressBarProps } from "./progress_bar.tsx";
import type { LogEntry } from "../client/types.ts";
import type { LineView } from "./carriage_return.ts";

/**
 * Props of {@linkcode LogPanel}.
 */
export interface LogPanelProps {
  /** The entries, from `useLogStream`. */
  logs: readonly LogEntry[];
  /** Whether the stream is live, from `useLogStream`. */
  active: boolean;
  /** Shown, pulsing, while active with no entries yet. Default `"⏳ Starting…"`. */
  waitingText?: ReactNode;
  /**
   * The panel's max-height: sets the `--streamator-max-height` custom property
   * on the root element, which log.css uses (default `160px`). When not passed,
   * the panel sets no height at all, so a stylesheet rule decides.
   */
  maxHeight?: string;
  /** Appended to the root element's class (`"streamator-log"`), e.g. `"log streamator-theme-dark"`. */
  className?: string;
  /** Inline style on the root element. */
  style?: CSSProperties;
  /**
   * Renders ANSI colours and styles in the default rows' text: pass
   * `renderAnsi` (`ansi={renderAnsi}`). The rows keep their level classes;
   * escape codes are never shown. The parser is a value you pass, not a
   * switch, so that an app without ANSI does not bundle it.
   */
  ansi?: AnsiRenderer;
  /**
   * Renders one entry instead of the default time + text row. Its output goes
   * straight into the rows container (`.streamator-log-rows`), with no wrapper.
   * Return one element per entry: the panel measures the container's children
   * in order as the rows' heights. Give each row `className={entryClassName(entry.level)}`
   * to keep the level's colours (an error row stays red).
   *
   * @example
   * ```tsx
   * import assert from "node:assert/strict";
   * import { renderToString } from "react-dom/server";
   * import { entryClassName, LogPanel, renderAnsi } from "@streamator/core/react";
   * import type { LogEntry } from "@streamator/core/react";
   * const logs: LogEntry[] = [{ text: "\x1b[31mFAIL\x1b[39m", t: "0.2s", level: "error" }];
   * const panel = (
   *   <LogPanel
   *     logs={logs}
   *     active={false}
   *     renderEntry={(entry) => (
   *       <div className={entryClassName(entry.level)} title={entry.t}>
   *         {renderAnsi(entry.text)}
   *       </div>
   *     )}
   *   />
   * );
   * assert.match(
   *   renderToString(panel),
   *   /<div class="streamator-log-entry streamator-log-entry--error" title="0.2s"><span class="streamator-ansi-fg1">FAIL<\/span><\/div>/,
   * );
   * ```
   */
  renderEntry?: (entry: LogEntry, index: number) => ReactNode;
  /** The accessible name of the log region. Default `"Job log"`. */
  label?: string;
  /**
   * Follow the newest entry while the reader is at the bottom. Default `true`.
   * `false` keeps the view where it is; turning it back on jumps to the bottom.
   */
  autoScroll?: boolean;
  /** Makes the time shown from an entry's `seconds` (entries without `seconds` show `t`). */
  formatTime?: (seconds: number) => string;
  /** Scrolls row `index` to the middle of the view (and stops following) each time a new object is passed. */
  scrollTo?: { index: number };
  /**
   * The stream's state, from `useLogStream`. When passed, a status line under
   * the log says when the stream is reconnecting (politely), when it failed
   * (with the message, assertively) and, given `doneText`, when it ended.
   * Without it, no status line is shown.
   */
  status?: StreamStatus;
  /** Why the stream failed, from `useLogStream`; its message is shown on the error line. */
  error?: Error | null;
  /**
   * From `useLogStream`: with it, the error line has a Retry button that
   * calls it (not when the job itself ended, e.g. lost: retrying cannot change that).
   */
  retry?: () => void;
  /** The status line while reconnecting. Default `"Reconnecting…"`. */
  reconnectingText?: ReactNode;
  /** Before the error's message on the status line. Default `"⚠ The log stopped:"`. */
  errorText?: ReactNode;
  /** The Retry button's text. Default `"Retry"`. */
  retryText?: ReactNode;
  /**
   * How the job ended, from `useLogStream`. A job that failed (`"error"`)
   * shows `failedText` and its message as an alert, one that was cancelled
   * shows `cancelledText`; without it, an ended job counts as a success.
   */
  outcome?: Outcome | null;
  /** The status line once the job is done, when it succeeded. Default: none. */
  doneText?: ReactNode;
  /** Before the job's message on the status line when it failed. Default `"✖ The job failed:"`. */
  failedText?: ReactNode;
  /** Before the job's message, if any, when it was cancelled. Default `"The job was cancelled."`. */
  cancelledText?: ReactNode;
  /** How far the job is, from `useLogStream`; shown by `progressBar`. */
  progress?: Progress | null;
  /**
   * The component that shows `progress` under the log, e.g. `ProgressBar`
   * (`progressBar={ProgressBar}`). Without it, the panel shows no progress
   * and bundles no code for it.
   */
  progressBar?: ComponentType<ProgressBarProps>;
  /**
   * Shows consecutive entries that redraw one line with a carriage return
   * (`\r`, as a download's or a test runner's progress does) as one row, the
   * newest: pass `createLineView` (`redrawLines={createLineView}`). Without
   * it, each entry is a row. The entries themselves are all kept (`logs`).
   * The line view is a value you pass, not a switch, so that a panel without
   * it does not bundle it.
   */
  redrawLines?: () => LineView;
}

/**
 * Turns an entry's text into what its row shows, e.g. `renderAnsi`.
 */
export type AnsiRenderer = (text: string) => ReactNode;
