/**
 * End to end, in real Chromium: how LogPanel looks with log.css. Dark mode
 * (an emulated colour scheme, and the classes that force a theme), the
 * `className="log"` contract with a page's own stylesheet, log-compat.css,
 * and the time column (fixed width, wrapped lines indented under the text).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "../support/browser.ts";
import { type PageOptions, startViewerServer, type ViewerServer } from "./viewer_server.ts";

async function open(page: Page, server: ViewerServer, options: PageOptions, count: number) {
  await page.goto(server.page(options));
  await page.waitForSelector(`main[data-status="done"][data-count="${count}"]`, {
    timeout: 30_000,
  });
}

/** The panel's computed colours: background, and each level's text. */
function colours(page: Page) {
  return page.evaluate(() => {
    const color = (selector: string) => getComputedStyle(document.querySelector(selector)!).color;
    return {
      bg: getComputedStyle(document.querySelector(".streamator-log")!).backgroundColor,
      info: color(".streamator-log-entry:not([class*=--])"),
      time: color(".streamator-log-time"),
      success: color(".streamator-log-entry--success"),
      warning: color(".streamator-log-entry--warning"),
      error: color(".streamator-log-entry--error"),
    };
  });
}

/** WCAG contrast of two computed `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = rgb.match(/\d+/g)!.slice(0, 3).map((n) => {
      const c = Number(n) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [lo, hi] = [luminance(a), luminance(b)].sort((x, y) => x - y);
  return (hi + 0.05) / (lo + 0.05);
}

/** The system colour `Canvas` inside the panel: it follows the colour scheme the panel uses. */
function canvas(page: Page) {
  return page.locator(".streamator-log").evaluate((el) => {
    const probe = el.appendChild(document.createElement("div"));
    probe.style.backgroundColor = "Canvas";
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
}

const LIGHT_BG = "rgb(248, 248, 248)";
const DARK_BG = "rgb(30, 31, 34)";
/** Each theme's colours, as `colours()` reads them: on the panel and on its rows. */
const LIGHT = {
  bg: LIGHT_BG,
  info: "rgb(68, 68, 68)",
  time: "rgb(107, 107, 107)",
  success: "rgb(46, 125, 50)",
  warning: "rgb(180, 83, 9)",
  error: "rgb(198, 40, 40)",
};
const DARK = {
  bg: DARK_BG,
  info: "rgb(212, 212, 212)",
  time: "rgb(157, 160, 166)",
  success: "rgb(124, 196, 127)",
  warning: "rgb(240, 179, 87)",
  error: "rgb(255, 138, 128)",
};

Deno.test({
  name: "e2e: LogPanel styles in Chromium (dark mode, className contract, time column)",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();

  // Fillers first: the panel follows the bottom, where the lines of interest are.
  const job = server.job();
  for (let i = 0; i < 95; i++) job.log(`filler ${i}`);
  job.log("plain info line");
  job.log("it worked", "success");
  job.log("this is slow", "warning");
  job.log("it broke", "error");
  job.log("a long line that wraps: " + "lorem ipsum dolor sit amet ".repeat(12));
  await job.close();
  const url = `/log/${job.jobId}/stream`;

  await t.step(
    "dark mode follows prefers-color-scheme; every level stays readable (AA)",
    async () => {
      const { page, errors } = await chromium.newPage();
      await open(page, server, { url }, 100);
      const light = await colours(page);
      assert.deepEqual(light, LIGHT);
      await page.emulateMedia({ colorScheme: "dark" });
      const dark = await colours(page);
      assert.deepEqual(dark, DARK);
      for (const scheme of [light, dark]) {
        for (const [name, colour] of Object.entries(scheme)) {
          if (name === "bg") continue;
          const ratio = contrast(colour, scheme.bg);
          assert.ok(ratio >= 4.5, `${name} ${colour} on ${scheme.bg}: ${ratio.toFixed(2)}`);
        }
      }
      // The scroll bar and other browser parts follow the theme too: inside the panel, the
      // system colour Canvas is the dark scheme's.
      assert.equal(await canvas(page), "rgb(18, 18, 18)");
      await page.emulateMedia({ colorScheme: "light" });
      assert.equal(await canvas(page), "rgb(255, 255, 255)");
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step("the theme classes force a theme, on the panel or on <html>", async () => {
    const { page } = await chromium.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    // The whole theme, on the panel and on the rows inside it.
    await open(page, server, { url, props: { className: "streamator-theme-light" } }, 100);
    assert.deepEqual(await colours(page), LIGHT);
    await open(page, server, { url, htmlClass: "streamator-theme-light" }, 100);
    assert.deepEqual(await colours(page), LIGHT);
    await page.emulateMedia({ colorScheme: "light" });
    await open(page, server, { url, htmlClass: "streamator-theme-dark" }, 100);
    assert.deepEqual(await colours(page), DARK);
    await open(page, server, { url, props: { className: "streamator-theme-dark" } }, 100);
    assert.deepEqual(await colours(page), DARK);
    // log-compat.css loaded after log.css keeps the forced theme.
    await open(page, server, {
      url,
      htmlClass: "streamator-theme-dark",
      sheets: ["/log.css", "/log-compat.css"],
    }, 100);
    assert.equal((await colours(page)).bg, DARK_BG);
    await page.close();
  });

  await t.step('className="log" with the page\'s own stylesheet: its max-height wins', async () => {
    const { page, errors } = await chromium.newPage();
    const box = () =>
      page.locator(".streamator-log").evaluate((el) => ({
        maxHeight: getComputedStyle(el).maxHeight,
        height: Math.round(el.getBoundingClientRect().height),
        inline: el.getAttribute("style"),
        className: el.className,
      }));
    const pageCss = ".log { max-height: 300px; border: 2px solid rgb(0, 128, 0); }";
    await open(page, server, {
      url,
      props: { className: "log" },
      sheets: ["/log.css", "/page.css"],
      pageCss,
    }, 100);
    assert.deepEqual(await box(), {
      maxHeight: "300px",
      height: 300,
      inline: null,
      className: "streamator-log log",
    });
    assert.equal(
      await page.locator(".log").evaluate((el) => getComputedStyle(el).borderTopColor),
      "rgb(0, 128, 0)",
    );
    // maxHeight sets only the custom property: the page's rule still wins over it...
    await open(page, server, {
      url,
      props: { className: "log", maxHeight: "120px" },
      sheets: ["/log.css", "/page.css"],
      pageCss,
    }, 100);
    assert.equal((await box()).maxHeight, "300px");
    // ...and without a page rule, log.css uses it.
    await open(page, server, { url, props: { maxHeight: "120px" } }, 100);
    assert.equal((await box()).maxHeight, "120px");
    assert.equal((await box()).height, 120);
    // No maxHeight: log.css's default, 160px.
    await open(page, server, { url }, 100);
    assert.equal((await box()).height, 160);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.step(
    'log-compat.css alone styles a LogPanel given className="log", in both themes',
    async () => {
      const { page } = await chromium.newPage();
      await open(
        page,
        server,
        { url, props: { className: "log" }, sheets: ["/log-compat.css"] },
        100,
      );
      const style = await page.locator(".log").evaluate((el) => {
        const s = getComputedStyle(el);
        return { bg: s.backgroundColor, maxHeight: s.maxHeight, overflowY: s.overflowY };
      });
      assert.deepEqual(style, { bg: LIGHT_BG, maxHeight: "160px", overflowY: "auto" });
      assert.equal(
        await page.locator(".streamator-log-time").first().evaluate((el) =>
          getComputedStyle(el).color
        ),
        "rgb(107, 107, 107)",
      );
      // The themes come with it (from the log.css it imports): dark mode, and a forced theme.
      await page.emulateMedia({ colorScheme: "dark" });
      await open(
        page,
        server,
        { url, props: { className: "log" }, sheets: ["/log-compat.css"] },
        100,
      );
      assert.equal(
        await page.locator(".log").evaluate((el) => getComputedStyle(el).backgroundColor),
        DARK_BG,
      );
      await open(page, server, {
        url,
        props: { className: "log streamator-theme-light" },
        sheets: ["/log-compat.css"],
      }, 100);
      assert.equal(
        await page.locator(".log").evaluate((el) => getComputedStyle(el).backgroundColor),
        LIGHT_BG,
      );
      await page.close();
    },
  );

  await t.step(
    "the time column has one width, and wrapped lines start under the text",
    async () => {
      const { page } = await chromium.newPage();
      await open(page, server, { url, props: { maxHeight: "600px" } }, 100);
      const layout = await page.evaluate(() => {
        const rows = [...document.querySelectorAll(".streamator-log-entry")];
        const widths = new Set(
          rows.map((r) => r.querySelector(".streamator-log-time")!.getBoundingClientRect().width),
        );
        const long = rows.find((r) => r.textContent!.includes("a long line"))!;
        const text = long.lastChild!;
        const range = document.createRange();
        range.selectNodeContents(text);
        // One rect per line (the spaces hanging at a line's end have their own: skip them).
        const lines = [...range.getClientRects()].filter((r) => r.width > 20);
        const short = rows.find((r) => r.textContent!.endsWith("plain info line"))!.lastChild!;
        range.selectNodeContents(short);
        const shortLeft = range.getClientRects()[0].left;
        return {
          widths: [...widths],
          lines: lines.length,
          lefts: [...new Set(lines.map((r) => Math.round(r.left)))],
          shortLeft: Math.round(shortLeft),
        };
      });
      assert.equal(layout.widths.length, 1, `time widths: ${layout.widths}`);
      assert.ok(layout.lines >= 2, `${layout.lines} lines`);
      // Every line of the long text starts where a one-line row's text starts.
      assert.ok(
        layout.lefts.every((left) => Math.abs(left - layout.shortLeft) <= 1),
        `${layout.lefts} vs ${layout.shortLeft}`,
      );
      await page.close();
    },
  );
});
