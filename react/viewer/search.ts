/** Search for LogViewer: which entries match a query, and where in their text. */

/** How to search: the query, and whether case matters. */
export interface SearchQuery {
  /** The text to find; `""` finds nothing. */
  text: string;
  /** Match case exactly. Default: case-insensitive. */
  matchCase?: boolean;
}

/**
 * The positions of the entries whose text contains the query, in order,
 * from position `from` on (default 0; a log that grew is searched where it
 * grew). One pass over the texts, no rendering: fine for 100,000 entries.
 * An entry counts once however often the query occurs in it.
 */
export function findMatches(texts: readonly string[], query: SearchQuery, from = 0): number[] {
  const out: number[] = [];
  if (query.text === "") return out;
  const needle = query.matchCase ? query.text : query.text.toLowerCase();
  for (let i = from; i < texts.length; i++) {
    const text = query.matchCase ? texts[i] : texts[i].toLowerCase();
    if (text.includes(needle)) out.push(i);
  }
  return out;
}

/**
 * Where the query occurs in one text: `[start, end)` pairs, not overlapping,
 * the first `limit` of them (default: all). LogViewer marks at most 100 per
 * entry, so that a one-character search in a 1 MB line stays quick.
 */
export function matchRanges(
  text: string,
  query: SearchQuery,
  limit = Infinity,
): [number, number][] {
  const out: [number, number][] = [];
  if (query.text === "") return out;
  // Lower-casing keeps the length for the text logs hold (no ß→SS in toLowerCase).
  const hay = query.matchCase ? text : text.toLowerCase();
  const needle = query.matchCase ? query.text : query.text.toLowerCase();
  if (hay.length !== text.length) return out;
  for (
    let at = hay.indexOf(needle);
    at >= 0 && out.length < limit;
    at = hay.indexOf(needle, at + needle.length)
  ) {
    out.push([at, at + needle.length]);
  }
  return out;
}
