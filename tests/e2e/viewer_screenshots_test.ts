/**
 * The README's screenshots of LogViewer in real Chromium (light, dark, ANSI
 * and search), from real jobs over SSE. `STREAMATOR_SCREENSHOT=1` writes
 * them to docs/; otherwise they go to a temporary file and are checked to
 * be images.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "../support/browser.ts";
import { type PageOptions, startViewerServer, type ViewerServer } from "./viewer_server.ts";

const E = "\x1b[";

async function open(page: Page, server: ViewerServer, options: PageOptions, count: number) {
  await page.goto(server.page(options));
  await page.waitForSelector(`main[data-status="done"][data-count="${count}"]`, {
    timeout: 30_000,
  });
}

function count(page: Page) {
  return page.locator(".streamator-viewer-count").first().textContent();
}

/** A screenshot of the viewer for the README (STREAMATOR_SCREENSHOT=1), else to a temp file. */
async function screenshot(page: Page, name: string) {
  const path = Deno.env.get("STREAMATOR_SCREENSHOT") === "1"
    ? new URL(`../../docs/${name}`, import.meta.url).pathname
    : await Deno.makeTempFile({ suffix: ".png" });
  try {
    await page.mouse.move(0, 0);
    await page.locator(".streamator-viewer").screenshot({ path });
    const png = await Deno.readFile(path);
    assert.deepEqual([...png.subarray(1, 4)], [...new TextEncoder().encode("PNG")]);
    assert.ok(png.length > 5_000, `${png.length} bytes`);
  } finally {
    if (!path.includes("/docs/")) await Deno.remove(path);
  }
}

Deno.test({
  name: "e2e: LogViewer screenshots for the README",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();

  await t.step("ANSI colours", async () => {
    const ansi = server.job();
    ansi.log(`${E}1;32m✔ PASS${E}0m src/parse.test.ts ${E}2m(12 ms)${E}22m`, "success");
    ansi.log(`${E}1;31m✖ FAIL${E}0m src/wire.test.ts`, "error");
    ansi.log(`  ${E}31m- expected${E}39m  ${E}32m+ received${E}39m`);
    ansi.log(`${E}38;5;208m256-colour orange${E}0m and ${E}38;2;90;120;250mtruecolor blue${E}0m`);
    ansi.log(`${E}4munderlined${E}24m ${E}3mitalic${E}23m ${E}7m reverse ${E}27m`);
    ansi.log(`${E}2K${E}1G\x1b]0;title\x07Progress 100%${E}?25h`);
    ansi.log(`<script>window.__xss = 1</script><img src=x onerror="window.__xss = 1">`, "warning");
    await ansi.close();
    const { page } = await chromium.newPage();
    await open(page, server, {
      url: `/log/${ansi.jobId}/stream`,
      viewer: true,
      props: { ansi: true },
    }, 7);
    await screenshot(page, "viewer-ansi.png");
    await page.close();
  });

  await t.step("screenshots: light, dark and search", async () => {
    const demo = server.job();
    const lines: [string, "info" | "success" | "warning" | "error"][] = [
      ["Job started: nightly import", "info"],
      ["Fetching 1,240 records from the API", "info"],
      ["Page 1 of 3 loaded (500 records)", "info"],
      ["Page 2 of 3 loaded (500 records)", "info"],
      ["Rate limited: retrying page 3 in 2 s", "warning"],
      ["Page 3 of 3 loaded (240 records)", "info"],
      ["Record 1,031 has no email; skipped", "warning"],
      ["Could not parse the date in record 1,177", "error"],
      ["Imported 1,238 records, 2 skipped", "success"],
    ];
    for (const [text, level] of lines) {
      demo.log(text, level);
      // Time between the lines, so the time column reads like a real job's.
      await new Promise((resolve) => setTimeout(resolve, 180));
    }
    await demo.close();
    const { page } = await chromium.newPage({ width: 900, height: 500 });
    const options: PageOptions = {
      url: `/log/${demo.jobId}/stream`,
      viewer: true,
      props: { maxHeight: "240px", fileName: "import" },
      eventsUrl: `/log/${demo.jobId}`,
    };
    await open(page, server, options, lines.length);
    await screenshot(page, "viewer-light.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.body.style.background = "#121316");
    await screenshot(page, "viewer-dark.png");
    await page.emulateMedia({ colorScheme: "light" });
    await page.evaluate(() => document.body.style.background = "");
    await page.getByRole("searchbox", { name: "Search" }).fill("page");
    await page.keyboard.press("Enter");
    assert.equal(await count(page), "2 of 4");
    await screenshot(page, "viewer-search.png");
    await page.close();
  });
});
