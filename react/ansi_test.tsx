import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { parseAnsi, renderAnsi, stripAnsi } from "./ansi.ts";

const E = "\x1b[";

function classesOf(text: string): [string, string][] {
  return parseAnsi(text).map((s) => [s.text, s.className]);
}

Deno.test("parseAnsi: bold, dim, italic, underline, strike and their resets", () => {
  assert.deepEqual(
    classesOf(`${E}1mB${E}22m ${E}2mD${E}22m ${E}3mI${E}23m ${E}4mU${E}24m ${E}9mS${E}29m.`),
    [
      ["B", "streamator-ansi-bold"],
      [" ", ""],
      ["D", "streamator-ansi-dim"],
      [" ", ""],
      ["I", "streamator-ansi-italic"],
      [" ", ""],
      ["U", "streamator-ansi-underline"],
      [" ", ""],
      ["S", "streamator-ansi-strike"],
      [".", ""],
    ],
  );
  // Styles add up, and 0 (or an empty SGR) resets them all.
  assert.deepEqual(classesOf(`${E}1;3;4mall${E}0m none ${E}1mb${E}m n`), [
    ["all", "streamator-ansi-bold streamator-ansi-italic streamator-ansi-underline"],
    [" none ", ""],
    ["b", "streamator-ansi-bold"],
    [" n", ""],
  ]);
});

Deno.test("parseAnsi: the 16 colours, foreground and background, and 39/49", () => {
  assert.deepEqual(classesOf(`${E}31mred${E}39m ${E}42mgreen bg${E}49m ${E}97;104mbright${E}0m`), [
    ["red", "streamator-ansi-fg1"],
    [" ", ""],
    ["green bg", "streamator-ansi-bg2"],
    [" ", ""],
    ["bright", "streamator-ansi-fg15 streamator-ansi-bg12"],
  ]);
  for (let i = 0; i < 8; i++) {
    assert.equal(parseAnsi(`${E}${30 + i}mx`)[0].className, `streamator-ansi-fg${i}`);
    assert.equal(parseAnsi(`${E}${90 + i}mx`)[0].className, `streamator-ansi-fg${8 + i}`);
    assert.equal(parseAnsi(`${E}${40 + i}mx`)[0].className, `streamator-ansi-bg${i}`);
    assert.equal(parseAnsi(`${E}${100 + i}mx`)[0].className, `streamator-ansi-bg${8 + i}`);
  }
});

Deno.test("parseAnsi: 256 colours and truecolor as custom properties", () => {
  assert.deepEqual(parseAnsi(`${E}38;5;9ma`)[0], { text: "a", className: "streamator-ansi-fg9" });
  assert.deepEqual(parseAnsi(`${E}38;5;196ma`)[0], {
    text: "a",
    className: "streamator-ansi-fg",
    vars: { "--streamator-ansi-fg": "#ff0000" },
  });
  assert.deepEqual(parseAnsi(`${E}48;5;244ma`)[0].vars, { "--streamator-ansi-bg": "#808080" });
  assert.deepEqual(parseAnsi(`${E}48;5;21ma`)[0].vars, { "--streamator-ansi-bg": "#0000ff" });
  assert.deepEqual(parseAnsi(`${E}38;2;255;128;0;48;2;0;0;64ma`)[0], {
    text: "a",
    className: "streamator-ansi-fg streamator-ansi-bg",
    vars: { "--streamator-ansi-fg": "#ff8000", "--streamator-ansi-bg": "#000040" },
  });
  // The colon forms, with and without the colour-space field; then a style after it.
  assert.deepEqual(parseAnsi(`${E}38:2::1:2:3;1ma`)[0], {
    text: "a",
    className: "streamator-ansi-bold streamator-ansi-fg",
    vars: { "--streamator-ansi-fg": "#010203" },
  });
  assert.deepEqual(parseAnsi(`${E}38:5:2ma`)[0].className, "streamator-ansi-fg2");
  // Out-of-range values are ignored, not guessed.
  assert.equal(parseAnsi(`${E}38;2;300;0;0ma`)[0].className, "");
  assert.equal(parseAnsi(`${E}38;5;256ma`)[0].className, "");
});

Deno.test("parseAnsi: reverse video swaps the colours", () => {
  assert.equal(
    parseAnsi(`${E}31;42;7mx`)[0].className,
    "streamator-ansi-inverse streamator-ansi-fg2 streamator-ansi-bg1",
  );
  assert.equal(parseAnsi(`${E}7mx${E}27my`)[1].className, "");
});

Deno.test("non-SGR escape sequences and control characters are dropped, not shown", () => {
  const text =
    `${E}2K${E}1G\x1b]0;title\x07\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\ ok\x1b(B\x1b=` +
    `\x9b1m\x07\x08\r\x00 done\tTAB\nnext${E}?25l`;
  assert.equal(stripAnsi(text), "link ok done\tTAB\nnext");
  assert.equal(parseAnsi(text).map((s) => s.text).join(""), "link ok done\tTAB\nnext");
  // 8-bit CSI carries SGR too.
  assert.equal(parseAnsi("\x9b1mx")[0].className, "streamator-ansi-bold");
  // A lone ESC at the end goes; text without codes is one unstyled run.
  assert.deepEqual(classesOf("plain\x1b"), [["plain", ""]]);
  assert.deepEqual(parseAnsi(""), []);
});

Deno.test("renderAnsi renders spans with classes, and HTML in the text stays text", () => {
  const html = renderToStaticMarkup(
    <p>
      {renderAnsi(
        `${E}31m<script>alert(1)</script>${E}0m <img src=x onerror=alert(1)> ${E}38;5;202mhot`,
      )}
    </p>,
  );
  assert.equal(
    html,
    '<p><span class="streamator-ansi-fg1">&lt;script&gt;alert(1)&lt;/script&gt;</span>' +
      " &lt;img src=x onerror=alert(1)&gt; " +
      '<span class="streamator-ansi-fg" style="--streamator-ansi-fg:#ff5f00">hot</span></p>',
  );
});
