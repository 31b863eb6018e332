import assert from "node:assert/strict";

const css = await Deno.readTextFile(new URL("./log.css", import.meta.url));
const compat = await Deno.readTextFile(new URL("./log-compat.css", import.meta.url));

const PROPERTIES = [
  "bg",
  "border",
  "color",
  "time-color",
  "radius",
  "font-size",
  "max-height",
  "success-color",
  "warning-color",
  "error-color",
].map((name) => `--streamator-${name}`);

function value(sheet: string, property: string): string {
  const match = sheet.match(new RegExp(`${property}:\\s*([^;]+);`));
  assert.ok(match, `${property} is declared`);
  return match[1].trim();
}

/** WCAG contrast ratio of two #rgb/#rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const h = hex.slice(1).length === 3 ? hex.slice(1).replace(/./g, "$&$&") : hex.slice(1);
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(h.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [lo, hi] = [luminance(a), luminance(b)].sort((x, y) => x - y);
  return (hi + 0.05) / (lo + 0.05);
}

Deno.test("log.css declares every custom property and class the seed lists", () => {
  for (const property of PROPERTIES) value(css, property);
  for (
    const cls of [
      ".streamator-log ",
      ".streamator-log-time",
      ".streamator-log-waiting",
      ".streamator-log-entry ",
      ".streamator-log-entry--success",
      ".streamator-log-entry--warning",
      ".streamator-log-entry--error",
    ]
  ) {
    assert.ok(css.includes(cls), cls);
  }
  assert.ok(!css.includes(".streamator-log-entry--info"), "info has no modifier");
  assert.match(css, /font-variant-numeric:\s*tabular-nums/);
  assert.match(css, /max-height:\s*var\(--streamator-max-height\)/);
  assert.equal(value(css, "--streamator-max-height"), "160px");
});

Deno.test("the default theme's text colours are readable (WCAG AA, 4.5:1) on its background", () => {
  const bg = value(css, "--streamator-bg");
  for (const name of ["color", "time-color", "success-color", "warning-color", "error-color"]) {
    const ratio = contrast(value(css, `--streamator-${name}`), bg);
    assert.ok(ratio >= 4.5, `--streamator-${name} on ${bg}: ${ratio.toFixed(2)}:1`);
  }
});

Deno.test("log-compat.css styles the old class names with the same properties", () => {
  for (const cls of [".log ", ".log-time", ".log-waiting", ".log-entry--error"]) {
    assert.ok(compat.includes(cls), cls);
  }
  for (const property of PROPERTIES) assert.equal(value(compat, property), value(css, property));
});
