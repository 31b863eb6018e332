/** Search highlighting for LogViewer: a text's runs with each match in a `<mark>`. */
import { createElement, type ReactNode } from "react";
import { type AnsiSegment, parseAnsi, segmentNode } from "../ansi.ts";

/**
 * Renders `text` (plain, or with ANSI codes when `ansi`) with the given
 * ranges of its visible text in `<mark class="streamator-match">` (plus
 * `streamator-match--current` when `current`). Text stays text.
 */
export function highlight(
  text: string,
  ansi: boolean | undefined,
  ranges: readonly [number, number][],
  current: boolean,
): ReactNode {
  const segments: AnsiSegment[] = ansi ? parseAnsi(text) : [{ text, className: "" }];
  if (ranges.length === 0 && !ansi) return text;
  const markClass = current ? "streamator-match streamator-match--current" : "streamator-match";
  let offset = 0;
  let r = 0;
  return segments.map((segment, key) => {
    const start = offset;
    const end = start + segment.text.length;
    offset = end;
    const parts: ReactNode[] = [];
    let at = start;
    while (r < ranges.length && ranges[r][0] < end) {
      const [from, to] = ranges[r];
      if (from > at) parts.push(segment.text.slice(at - start, from - start));
      const stop = Math.min(to, end);
      parts.push(
        createElement(
          "mark",
          { key: parts.length, className: markClass },
          segment.text.slice(Math.max(from, at) - start, stop - start),
        ),
      );
      at = stop;
      if (to > end) break; // the match goes on in the next run
      r++;
    }
    if (at < end) parts.push(segment.text.slice(at - start));
    return segmentNode(segment, parts, key);
  });
}
