/** The props of LogViewer: those of LogPanel it passes on, and the viewer's own. */
import type { LogPanelProps } from "./log_panel_props.ts";
import type { LogViewerLabels } from "./viewer/labels.ts";

/**
 * Props of {@linkcode LogViewer}: those of `LogPanel` (except `renderEntry`
 * and `scrollTo`, which the viewer uses itself) and its own.
 */
export interface LogViewerProps
  extends Omit<LogPanelProps, "ansi" | "renderEntry" | "scrollTo" | "redrawLines"> {
  /** Render ANSI colours and styles in the entries' text (escape codes are never shown). */
  ansi?: boolean;
  /**
   * The raw events, for "Download .jsonl": an array, or a function that gets
   * them when the button is pressed (e.g. from the `{ logs }` poll route).
   * Without it, there is no .jsonl button.
   */
  events?: readonly unknown[] | (() => readonly unknown[] | Promise<readonly unknown[]>);
  /** The downloaded files' name, without extension. Default `"log"`. */
  fileName?: string;
  /** Any of the controls' texts, e.g. translated. */
  labels?: Partial<LogViewerLabels>;
  /** Forces a theme on the whole viewer; default: the page's `prefers-color-scheme`. */
  theme?: "light" | "dark";
  /** Appended to the viewer's outer element's class (`"streamator-viewer"`). */
  viewerClassName?: string;
  /**
   * Consecutive entries that redraw one line with a carriage return (`\r`)
   * show as one row, the newest. Default `true` here. Copy and downloads
   * keep every entry.
   */
  redrawLines?: boolean;
}
