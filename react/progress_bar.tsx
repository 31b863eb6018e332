/**
 * The progress bar the panels show under the log, from the stream's
 * `progress` (the job's newest `logger.progress()`) and `outcome`.
 *
 * @module
 */
import type { ReactElement } from "react";
import type { Outcome, Progress } from "../client/stream_types.ts";

/**
 * Props of {@linkcode ProgressBar}: the stream's `progress` and `outcome`.
 */
export interface ProgressBarProps {
  /** How far the job is; nothing is shown while `null`. */
  progress: Progress | null | undefined;
  /** How the job ended: `"ok"` fills the bar; any other end leaves it where it stopped. */
  outcome?: Outcome | null;
  /** The bar's accessible name. Default `"Job progress"`. */
  label?: string;
}

/**
 * How far the job is, as `done / total label` and a bar: a
 * `role="progressbar"` element with `aria-valuenow` and `aria-valuemax`,
 * or, without `total`, an indeterminate one (no `aria-valuenow`, a moving
 * bar) while the job runs. A job that ends `"ok"` shows the bar full; one
 * that fails or is cancelled keeps it where it stopped, no longer moving.
 * Styled by log.css (`streamator-progress*`, `--streamator-progress-color`),
 * light and dark. Pass it to `LogPanel` as `progressBar` (LogViewer shows it
 * by itself), so a panel that never shows progress does not bundle it.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "react-dom/server";
 * import { LogPanel, ProgressBar, useLogStream } from "@streamator/core/react";
 *
 * function JobLog({ url }: { url: string }) {
 *   const stream = useLogStream(url);
 *   return <LogPanel {...stream} progressBar={ProgressBar} />;
 * }
 *
 * // The bar for a job 3 pages into 10, here rendered to HTML:
 * const html = renderToString(<ProgressBar progress={{ done: 3, total: 10, label: "pages" }} />);
 * assert.match(html, /role="progressbar"[^>]* aria-valuemax="10" aria-valuenow="3"/);
 * assert.match(html, /<span class="streamator-progress-text">3 \/ 10 pages<\/span>/);
 * ```
 */
export function ProgressBar(props: ProgressBarProps): ReactElement | null {
  const { progress, outcome, label = "Job progress" } = props;
  if (!progress) return null;
  const ok = outcome?.status === "ok";
  const { total, done } = progress;
  // Unknown total: a job that ended ok is complete (100 of 100).
  const max = total ?? (ok ? 100 : undefined);
  const value = max === undefined ? undefined : ok ? max : Math.min(done, max);
  const unit = progress.label ? ` ${progress.label}` : "";
  const text = `${done}${total === undefined ? "" : ` / ${total}`}${unit}`;
  const state = ok ? " streamator-progress--done" : outcome ? " streamator-progress--stopped" : "";
  return (
    <div className={`streamator-progress${state}`}>
      <div
        className="streamator-progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
      >
        <div
          className={`streamator-progress-fill${
            value === undefined ? " streamator-progress-fill--indeterminate" : ""
          }`}
          style={value === undefined ? undefined : { width: `${(value / max!) * 100}%` }}
        />
      </div>
      <span className="streamator-progress-text">{text}</span>
    </div>
  );
}
