/**
 * log.css themes the progress bar in both themes: the fill colour has a
 * light and a dark value, and the fill (running,
 * done and stopped) stands out from its track by WCAG's 3:1 for
 * non-text contrast.
 */
import assert from "node:assert/strict";

const css = (await Deno.readTextFile(new URL("./log.css", import.meta.url)))
  .replace(/\/\*[\s\S]*?\*\//g, "");

/** The custom properties of the first rule after `anchor`, as written. */
function declared(anchor: string): Map<string, string> {
  const at = css.indexOf(anchor);
  assert.ok(at >= 0, anchor);
  const body = css.slice(css.indexOf("{", at + anchor.length) + 1, css.indexOf("}", at));
  const found = new Map<string, string>();
  for (const [, name, value] of body.matchAll(/(--streamator-[\w-]+):\s*([^;]+);/g)) {
    found.set(name, value.trim());
  }
  return found;
}

/** The properties, set once on the first `:root` rule: themed ones as `light-dark(<light>, <dark>)`. */
const ROOT = declared(":root");

/** One theme: each `light-dark()` property's light (0) or dark (1) value. */
function side(index: 0 | 1): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of ROOT) {
    const pair = /^light-dark\(\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$/.exec(value);
    if (pair !== null) found.set(name, pair[1 + index]);
  }
  return found;
}

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    assert.match(hex, /^#[0-9a-f]{6}$/i, hex);
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [lo, hi] = [luminance(a), luminance(b)].sort((x, y) => x - y);
  return (hi + 0.05) / (lo + 0.05);
}

// A forced theme takes the same values (the class only sets the colour scheme).
const THEMES = { light: side(0), dark: side(1) };

for (const [name, theme] of Object.entries(THEMES)) {
  Deno.test(`the ${name} theme's progress fills stand out from the track (3:1)`, () => {
    const track = theme.get("--streamator-border")!;
    for (const fill of ["progress-color", "success-color", "time-color"]) {
      const colour = theme.get(`--streamator-${fill}`);
      assert.ok(colour, `${name} defines --streamator-${fill}`);
      const ratio = contrast(colour, track);
      assert.ok(ratio >= 3, `${name}: --streamator-${fill} on the track: ${ratio.toFixed(2)}:1`);
    }
  });
}

Deno.test("log.css styles the bar, its states and reduced motion", () => {
  for (
    const selector of [
      ".streamator-progress ",
      ".streamator-progress-track",
      ".streamator-progress-fill ",
      ".streamator-progress-fill--indeterminate",
      ".streamator-progress--done .streamator-progress-fill",
      ".streamator-progress--stopped .streamator-progress-fill",
      "@keyframes streamator-sweep",
      "@media (prefers-reduced-motion: reduce)",
    ]
  ) assert.ok(css.includes(selector), selector);
  assert.equal(THEMES.light.get("--streamator-progress-color"), "#1f5fbf");
  assert.equal(THEMES.dark.get("--streamator-progress-color"), "#7aa6ff");
});
