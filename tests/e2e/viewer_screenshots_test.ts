/**
 * The README's screenshots of LogViewer in real Chromium (light, dark, ANSI
 * and search), from real jobs over SSE. `STREAMATOR_SCREENSHOT=1` writes
 * them to docs/; otherwise they go to a temporary file and are checked to
 * be images.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import {
  ansiJob,
  openDone,
  type PageOptions,
  searchCount,
  startViewerServer,
  viewerScreenshot,
} from "./viewer_server.ts";

Deno.test({
  name: "e2e: LogViewer screenshots for the README",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();

  await t.step("ANSI colours", async () => {
    const ansi = await ansiJob(server);
    const { page } = await chromium.newPage();
    await openDone(
      page,
      server,
      {
        url: `/log/${ansi.jobId}/stream`,
        viewer: true,
        props: { ansi: true },
      },
      7,
      30_000,
    );
    await viewerScreenshot(page, "viewer-ansi.png");
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
    await openDone(page, server, options, lines.length, 30_000);
    await viewerScreenshot(page, "viewer-light.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.body.style.background = "#121316");
    await viewerScreenshot(page, "viewer-dark.png");
    await page.emulateMedia({ colorScheme: "light" });
    await page.evaluate(() => document.body.style.background = "");
    await page.getByRole("searchbox", { name: "Search" }).fill("page");
    await page.keyboard.press("Enter");
    assert.equal(await searchCount(page), "2 of 4");
    await viewerScreenshot(page, "viewer-search.png");
    await page.close();
  });
});
