/** The texts of LogViewer's controls, all replaceable (e.g. for translation). */

/**
 * Every text `LogViewer` shows; pass some or all as `labels`.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "react-dom/server";
 * import { LogViewer, type LogViewerLabels } from "@streamator/core/react";
 * const fr: Partial<LogViewerLabels> = {
 *   search: "Rechercher",
 *   matches: (current, total) => `${current} sur ${total}`,
 * };
 * const html = renderToString(<LogViewer logs={[]} active={false} labels={fr} />);
 * assert.match(html, /<input type="search" aria-label="Rechercher"[^>]* placeholder="Rechercher"/);
 * ```
 */
export interface LogViewerLabels {
  /** The search box's label and placeholder. */
  search: string;
  /** The button to the previous match. */
  previous: string;
  /** The button to the next match. */
  next: string;
  /** The case option. */
  matchCase: string;
  /** Where the current match is among all of them (1-based). */
  matches: (current: number, total: number) => string;
  /** When a search finds nothing. */
  noMatches: string;
  /** The level filter's group. */
  levels: string;
  /** The toggle of info entries. */
  info: string;
  /** The toggle of success entries. */
  success: string;
  /** The toggle of warning entries. */
  warning: string;
  /** The toggle of error entries. */
  error: string;
  /** The follow toggle. */
  follow: string;
  /** The copy button. */
  copy: string;
  /** Said once the log is on the clipboard. */
  copied: (lines: number) => string;
  /** Said when the browser refused to copy. */
  copyFailed: string;
  /** The button that downloads the log as text. */
  downloadText: string;
  /** The button that downloads the raw events as JSON Lines. */
  downloadEvents: string;
  /** Said when getting the raw events failed (the reason follows). */
  downloadFailed: string;
  /** The accessible name of the tool bar. */
  tools: string;
}

/** The English defaults. */
export const DEFAULT_LABELS: LogViewerLabels = {
  search: "Search",
  previous: "Previous match",
  next: "Next match",
  matchCase: "Match case",
  matches: (current, total) => `${current} of ${total}`,
  noMatches: "No matches",
  levels: "Levels",
  info: "Info",
  success: "Success",
  warning: "Warning",
  error: "Error",
  follow: "Follow",
  copy: "Copy all",
  copied: (lines) => `Copied ${lines} lines`,
  copyFailed: "Could not copy",
  downloadText: "Download .txt",
  downloadEvents: "Download .jsonl",
  downloadFailed: "Could not download",
  tools: "Log tools",
};
