/**
 * ANSI escape codes in log text: SGR colours and styles become spans with
 * classes (and, for 256-colour and truecolor, a CSS custom property), never
 * HTML strings; every other escape sequence and control character is
 * dropped. The classes are styled by log.css (`streamator-ansi-*`).
 */
import { createElement, Fragment, type ReactNode } from "react";

/** A run of text with one style. */
export interface AnsiSegment {
  /** The text, with no escape codes left. */
  text: string;
  /** Space-separated `streamator-ansi-*` classes; `""` for unstyled text. */
  className: string;
  /** `--streamator-ansi-fg` / `--streamator-ansi-bg` for colours outside the 16 of the theme. */
  vars?: Record<string, string>;
}

/** The state SGR codes change. Colours: 0-15 (the theme's palette) or `#rrggbb`. */
interface Pen {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  inverse: boolean;
  fg: number | string | undefined;
  bg: number | string | undefined;
}

/**
 * Escape sequences (CSI with its final byte, OSC and string sequences up to
 * their terminator, two-byte escapes, 8-bit CSI) and control characters other
 * than tab and newline. Group 1 and 2 hold a CSI's parameters and final byte.
 */
const ESCAPES =
  // deno-lint-ignore no-control-regex
  /\x1b\[([0-?]*)[ -/]*([@-~])|\x9b([0-?]*)[ -/]*([@-~])|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1f\x7f]/g;

const CUBE = [0, 95, 135, 175, 215, 255];

function hex(r: number, g: number, b: number): string {
  return "#" + [r, g, b].map((c) => Math.max(0, Math.min(255, c | 0)).toString(16).padStart(2, "0"))
    .join("");
}

/** A 256-colour index as a palette index (0-15) or `#rrggbb`; undefined when out of range. */
function color256(n: number): number | string | undefined {
  if (!(n >= 0 && n <= 255)) return undefined;
  if (n < 16) return n;
  if (n >= 232) return hex(8 + 10 * (n - 232), 8 + 10 * (n - 232), 8 + 10 * (n - 232));
  const c = n - 16;
  return hex(CUBE[Math.floor(c / 36)], CUBE[Math.floor(c / 6) % 6], CUBE[c % 6]);
}

/**
 * Reads an extended colour (`38;5;n`, `38;2;r;g;b`) from `params` at `i`
 * (just after the 38/48); returns the colour and how many params it took.
 */
function extended(params: number[], i: number): [number | string | undefined, number] {
  if (params[i] === 5) return [color256(params[i + 1]), 2];
  if (params[i] === 2) {
    const [r, g, b] = params.slice(i + 1, i + 4);
    return [[r, g, b].every((c) => c >= 0 && c <= 255) ? hex(r, g, b) : undefined, 4];
  }
  return [undefined, params.length];
}

/** Applies one SGR sequence's parameters (`"1;31"`, `"38:2::255:0:0"`) to the pen. */
function applySgr(pen: Pen, raw: string): void {
  for (const params of splitGroups(raw)) {
    for (let i = 0; i < params.length; i++) {
      const code = params[i];
      if (code === 0) {
        Object.assign(pen, RESET);
      } else if (code === 1) pen.bold = true;
      else if (code === 2) pen.dim = true;
      else if (code === 3) pen.italic = true;
      else if (code === 4 || code === 21) pen.underline = params.length === 1 || params[1] !== 0;
      else if (code === 7) pen.inverse = true;
      else if (code === 9) pen.strike = true;
      else if (code === 22) pen.bold = pen.dim = false;
      else if (code === 23) pen.italic = false;
      else if (code === 24) pen.underline = false;
      else if (code === 27) pen.inverse = false;
      else if (code === 29) pen.strike = false;
      else if (code >= 30 && code <= 37) pen.fg = code - 30;
      else if (code >= 90 && code <= 97) pen.fg = code - 90 + 8;
      else if (code >= 40 && code <= 47) pen.bg = code - 40;
      else if (code >= 100 && code <= 107) pen.bg = code - 100 + 8;
      else if (code === 39) pen.fg = undefined;
      else if (code === 49) pen.bg = undefined;
      else if (code === 38 || code === 48) {
        const [color, used] = extended(params, i + 1);
        if (code === 38) pen.fg = color;
        else pen.bg = color;
        i += used;
      }
      // A group with ':' sub-parameters is one code and its arguments.
      if (params.sub) break;
    }
  }
}

type Params = number[] & { sub?: boolean };

/**
 * Splits SGR parameters into groups: `;`-separated codes form one sequential
 * group; a `:` group (`38:2::r:g:b`, `4:3`) is a code with its own arguments.
 */
function splitGroups(raw: string): Params[] {
  const groups: Params[] = [];
  let plain: Params = [];
  for (const part of (raw === "" ? "0" : raw).split(";")) {
    if (part.includes(":")) {
      if (plain.length > 0) {
        groups.push(plain);
        plain = [];
      }
      let sub = part.split(":").map((p) => (p === "" ? -1 : Number(p)));
      // 38:2:<colour space>:r:g:b has an extra (often empty) field.
      if ((sub[0] === 38 || sub[0] === 48) && sub[1] === 2 && sub.length >= 6) {
        sub = [sub[0], 2, ...sub.slice(sub.length - 3)];
      }
      const group: Params = sub;
      group.sub = true;
      groups.push(group);
    } else {
      plain.push(part === "" ? 0 : Number(part));
    }
  }
  if (plain.length > 0) groups.push(plain);
  return groups;
}

const RESET: Pen = {
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  strike: false,
  inverse: false,
  fg: undefined,
  bg: undefined,
};

/** The classes and custom properties that draw text with this pen. */
function style(pen: Pen): Omit<AnsiSegment, "text"> {
  const classes: string[] = [];
  const vars: Record<string, string> = {};
  for (const flag of ["bold", "dim", "italic", "underline", "strike", "inverse"] as const) {
    if (pen[flag]) classes.push(`streamator-ansi-${flag}`);
  }
  const [fg, bg] = pen.inverse ? [pen.bg, pen.fg] : [pen.fg, pen.bg];
  for (const [side, color] of [["fg", fg], ["bg", bg]] as const) {
    if (typeof color === "number") classes.push(`streamator-ansi-${side}${color}`);
    else if (color !== undefined) {
      classes.push(`streamator-ansi-${side}`);
      vars[`--streamator-ansi-${side}`] = color;
    }
  }
  const className = classes.join(" ");
  return Object.keys(vars).length > 0 ? { className, vars } : { className };
}

/**
 * Splits text with ANSI escape codes into styled runs. SGR codes (bold, dim,
 * italic, underline, strikethrough, reverse, the 16 colours, 256 colours and
 * truecolor, foreground and background, and their resets) set the runs'
 * classes; other escape sequences and control characters (except tab and
 * newline) are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAnsi } from "@streamator/core/react";
 * assert.deepEqual(parseAnsi("\x1b[1;31mFAIL\x1b[0m 3 tests"), [
 *   { text: "FAIL", className: "streamator-ansi-bold streamator-ansi-fg1" },
 *   { text: " 3 tests", className: "" },
 * ]);
 * ```
 */
export function parseAnsi(text: string): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  const pen: Pen = { ...RESET };
  let current = style(pen);
  let at = 0;
  const push = (piece: string) => {
    if (piece === "") return;
    const last = segments[segments.length - 1];
    if (last && last.className === current.className && same(last.vars, current.vars)) {
      last.text += piece;
    } else {
      segments.push({ text: piece, ...current });
    }
  };
  for (const match of text.matchAll(ESCAPES)) {
    push(text.slice(at, match.index));
    at = match.index + match[0].length;
    const final = match[2] ?? match[4];
    if (final === "m") {
      applySgr(pen, match[1] ?? match[3]);
      current = style(pen);
    }
  }
  push(text.slice(at));
  return segments;
}

function same(a?: Record<string, string>, b?: Record<string, string>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The text without escape codes or control characters (tab and newline
 * stay): what `parseAnsi` shows, as a string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stripAnsi } from "@streamator/core/react";
 * assert.equal(stripAnsi("\x1b[32m✔\x1b[39m passed\x1b[K"), "✔ passed");
 * ```
 */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, "");
}

/**
 * Renders text with ANSI escape codes as React nodes: unstyled runs as text,
 * styled runs as `<span class="streamator-ansi-…">`. Nothing is parsed as
 * HTML: `<script>` in the text stays text. Pass it as `LogPanel`'s `ansi`
 * prop, call it in your own `renderEntry`, or pass `ansi` to `LogViewer`.
 *
 * @example
 * ```tsx
 * import assert from "node:assert/strict";
 * import { renderToString } from "react-dom/server";
 * import { LogPanel, renderAnsi, useLogStream } from "@streamator/core/react";
 *
 * function BuildLog({ url }: { url: string }) {
 *   const stream = useLogStream(url);
 *   // Each row keeps its level class: an error row stays red.
 *   return <LogPanel {...stream} ansi={renderAnsi} />;
 * }
 *
 * // The rows it renders for an entry with colours, here rendered to HTML:
 * const html = renderToString(
 *   <LogPanel
 *     logs={[{ text: "\x1b[31mFAIL\x1b[39m 3 tests", t: "0.2s", level: "error" }]}
 *     active={false}
 *     ansi={renderAnsi}
 *   />,
 * );
 * assert.match(
 *   html,
 *   /<div class="streamator-log-entry streamator-log-entry--error">.*<span class="streamator-ansi-fg1">FAIL<\/span> 3 tests<\/div>/,
 * );
 * ```
 */
export function renderAnsi(text: string): ReactNode[] {
  return parseAnsi(text).map((segment, key) => segmentNode(segment, segment.text, key));
}

/** One run as a node: its children as they are when unstyled, else in a span with its classes. */
export function segmentNode(segment: AnsiSegment, children: ReactNode, key: number): ReactNode {
  return segment.className === ""
    ? createElement(Fragment, { key }, children)
    : createElement("span", { key, className: segment.className, style: segment.vars }, children);
}
