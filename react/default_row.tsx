/**
 * The row `LogPanel` renders for an entry when no `renderEntry` is given.
 *
 * @module
 */
import { memo, type ReactElement } from "react";
import type { LogEntry } from "../client/types.ts";
import { lastSegment } from "./carriage_return.ts";
import type { LogPanelProps } from "./log_panel_props.ts";
import { entryClassName } from "./row.ts";

/** The props of one default row. */
export interface DefaultRowProps {
  entry: LogEntry;
  /** The time it shows. */
  t: string;
  ansi: LogPanelProps["ansi"];
}

/**
 * One default row; entries never change once logged, so rows re-render only
 * when new (and ANSI codes are parsed only for the rows in the DOM). A line
 * redrawn by carriage returns shows as a terminal leaves it.
 */
export const DefaultRow = /* @__PURE__ */ memo(
  ({ entry, t, ansi }: DefaultRowProps): ReactElement => {
    const text = lastSegment(entry.text);
    return (
      <div className={entryClassName(entry.level)}>
        <span className="streamator-log-time">{t}</span> {ansi ? ansi(text) : text}
      </div>
    );
  },
);
