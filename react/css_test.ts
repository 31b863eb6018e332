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

/** The text colours that must be readable on the background and on a search match. */
const TEXT = ["color", "time-color", "success-color", "warning-color", "error-color"];

/** A rule: its selector, the @media it is in (or ""), and its declarations. */
interface Rule {
  selector: string;
  media: string;
  declarations: Map<string, string>;
}

/** A small CSS reader: enough for log.css (rules, one level of @media, comments, @import). */
function rules(sheet: string): Rule[] {
  const text = sheet.replace(/\/\*[\s\S]*?\*\//g, "");
  const out: Rule[] = [];
  let media = "";
  let prelude = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") {
      const head = prelude.trim();
      prelude = "";
      if (head.startsWith("@media")) {
        media = head;
        continue;
      }
      const end = text.indexOf("}", i);
      const body = text.slice(i + 1, end);
      const declarations = new Map<string, string>();
      for (const part of body.split(";")) {
        const colon = part.indexOf(":");
        if (colon > 0) declarations.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
      }
      out.push({ selector: head.replace(/\s+/g, " "), media, declarations });
      i = end;
    } else if (c === "}") {
      media = "";
      prelude = "";
    } else if (c === ";") {
      prelude = ""; // a statement such as @import, not a rule
    } else {
      prelude += c;
    }
  }
  return out;
}

/** The declarations of the rule with exactly this selector (in this @media). */
function theme(sheet: string, selector: string, media = ""): Map<string, string> {
  const rule = rules(sheet).find((r) => r.selector === selector && r.media === media);
  assert.ok(rule, `${selector} ${media} is in the sheet`);
  return rule.declarations;
}

/** Every property, set once on `:root`: each themed one as `light-dark(<light>, <dark>)`. */
const ROOT = theme(css, ":root");

/** One theme: each `light-dark()` property's light (0) or dark (1) value, the others as set. */
function side(index: 0 | 1): Map<string, string> {
  const out = new Map<string, string>();
  for (const [property, value] of ROOT) {
    const pair = /^light-dark\(\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$/.exec(value);
    out.set(property, pair === null ? value : pair[1 + index]);
  }
  return out;
}

const LIGHT = side(0);
const DARK = side(1);
/** The properties that differ between the themes. */
const THEMED = [...ROOT].filter(([, value]) => value.startsWith("light-dark(")).map(([p]) => p);

/** WCAG contrast ratio of two #rgb/#rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    assert.match(hex, /^#([0-9a-f]{3}|[0-9a-f]{6})$/i, `${hex} is a hex colour`);
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

Deno.test("contrast() gives the WCAG reference ratios", () => {
  assert.equal(contrast("#000", "#fff").toFixed(2), "21.00");
  assert.equal(contrast("#777", "#fff").toFixed(2), "4.48");
  assert.equal(contrast("#fff", "#fff"), 1);
});

Deno.test("log.css declares every custom property and class", () => {
  for (const property of PROPERTIES) assert.ok(LIGHT.has(property), property);
  for (
    const cls of [
      ".streamator-log ",
      ".streamator-log-time",
      ".streamator-log-waiting",
      ".streamator-log-entry ",
      ".streamator-log-entry--success",
      ".streamator-log-entry--warning",
      ".streamator-log-entry--error",
      ".streamator-log-status",
      ".streamator-match",
      ".streamator-ansi-fg1 ",
      ".streamator-ansi-bg15 ",
    ]
  ) {
    assert.ok(css.includes(cls), cls);
  }
  assert.ok(!css.includes(".streamator-log-entry--info"), "info has no modifier");
  assert.match(css, /font-variant-numeric:\s*tabular-nums/);
  assert.match(css, /max-height:\s*var\(--streamator-max-height\)/);
  assert.equal(LIGHT.get("--streamator-max-height"), "160px");
});

for (const [name, colours] of [["light", LIGHT], ["dark", DARK]] as const) {
  Deno.test(`the ${name} theme's text colours meet WCAG AA (4.5:1) on its background and on search matches`, () => {
    const bg = colours.get("--streamator-bg")!;
    for (const back of [bg, colours.get("--streamator-match-bg")!]) {
      for (const text of TEXT) {
        const ratio = contrast(colours.get(`--streamator-${text}`)!, back);
        assert.ok(ratio >= 4.5, `${name}: --streamator-${text} on ${back}: ${ratio.toFixed(2)}:1`);
      }
    }
    // The current match's background (it also has an outline).
    const current = colours.get("--streamator-match-current-bg")!;
    for (const text of TEXT) {
      const ratio = contrast(colours.get(`--streamator-${text}`)!, current);
      assert.ok(ratio >= 4.5, `${name}: --streamator-${text} on ${current}: ${ratio.toFixed(2)}:1`);
    }
  });
}

Deno.test("each themed property has a light and a dark value, and the theme classes force each theme", () => {
  for (const property of TEXT.map((t) => `--streamator-${t}`).concat("--streamator-bg")) {
    assert.ok(THEMED.includes(property), property);
    assert.notEqual(DARK.get(property), LIGHT.get(property), property);
  }
  assert.ok(THEMED.length >= 26, THEMED.join(", ")); // 10 colours and 16 ANSI ones
  // The user's scheme by default (prefers-color-scheme); a class forces one, on the panel or on
  // an ancestor, and comes after :root so that it wins there too.
  assert.equal(ROOT.get("--streamator-color-scheme"), "light dark");
  assert.deepEqual([...theme(css, ".streamator-theme-light")], [
    ["--streamator-color-scheme", "light"],
  ]);
  assert.deepEqual([...theme(css, ".streamator-theme-dark")], [
    ["--streamator-color-scheme", "dark"],
  ]);
  assert.ok(css.indexOf(".streamator-theme-light {") > css.indexOf(":root {"));
  // light-dark() takes the side of the element that reads the property: each outer element
  // (the panel, its status line and progress bar, the viewer) uses the chosen scheme.
  const outer = ".streamator-log, .streamator-log-status, .streamator-progress, .streamator-viewer";
  assert.equal(theme(css, outer).get("color-scheme"), "var(--streamator-color-scheme)");
  assert.ok(
    rules(css).every((rule) => !rule.media.includes("prefers-color-scheme")),
    "the scheme, not a media query, picks the side",
  );
});

Deno.test("the time column has a fixed width and wrapped lines indent past it", () => {
  const time = theme(css, ".streamator-log-time");
  assert.equal(time.get("width"), "var(--streamator-time-width)");
  const entry = theme(css, ".streamator-log-entry");
  assert.equal(entry.get("padding-left"), "calc(var(--streamator-time-width) + 1ch)");
  assert.equal(entry.get("text-indent"), "calc(-1 * (var(--streamator-time-width) + 1ch))");
});

Deno.test("log-compat.css styles the old class names with log.css's properties and themes, defined only there", () => {
  for (const cls of [".log ", ".log-time", ".log-waiting", ".log-entry ", ".log-entry--error"]) {
    assert.ok(compat.includes(cls), cls);
  }
  // Its first statement imports log.css, so it works alone and the palettes have one source.
  assert.match(compat.replace(/\/\*[\s\S]*?\*\//g, "").trim(), /^@import url\("\.\/log\.css"\);/);
  const own = rules(compat);
  assert.deepEqual(
    own.filter((r) => [...r.declarations.keys()].some((p) => p.startsWith("--"))),
    [],
  );
  assert.ok(!compat.includes("prefers-color-scheme"), "no dark palette of its own");
  assert.ok(!compat.includes("streamator-theme-"), "no forced theme of its own");
  // Every property it reads is one log.css defines.
  const used = new Set([...compat.matchAll(/var\((--streamator-[a-z0-9-]+)\)/g)].map((m) => m[1]));
  assert.ok(used.size >= 8, [...used].join(", "));
  for (const property of used) assert.ok(LIGHT.has(property), `${property} is defined in log.css`);
  assert.equal(theme(compat, ".log").get("max-height"), "var(--streamator-max-height)");
  assert.equal(theme(compat, ".log-entry--error").get("color"), "var(--streamator-error-color)");
  assert.equal(theme(compat, ".log-time").get("color"), "var(--streamator-time-color)");
});
