/**
 * log.css themes the progress bar in every theme: the fill colour is
 * defined in the light, dark and forced themes, and the fill (running,
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

/** The palettes, set once on the first `:root` rule. */
const PALETTES = declared(":root");

/** A theme's custom properties, each palette reference read from `PALETTES`. */
function block(anchor: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of declared(anchor)) {
    const reference = /^var\((--streamator-(?:light|dark)-[\w-]+)\)$/.exec(value);
    found.set(name, reference === null ? value : PALETTES.get(reference[1]) ?? value);
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

const THEMES = {
  light: block(":root,\n.streamator-theme-light"),
  dark: block("@media (prefers-color-scheme: dark)"),
  "forced light": block(".streamator-theme-light"),
  "forced dark": block(".streamator-theme-dark"),
};

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
