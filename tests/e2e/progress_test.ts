/**
 * Progress in real Chromium, from real jobs over SSE: the bar follows the
 * job and is full at an ok end only (LogPanel with `ProgressBar`, and
 * LogViewer with the same bar); a 1,000-step `\r` download is one row in
 * LogViewer while "Copy all" keeps every entry; and the README's
 * screenshot of a job in progress. `STREAMATOR_SCREENSHOT=1` writes it to
 * docs/; otherwise it goes to a temporary file and is checked to be an image.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "../support/browser.ts";
import { openDone, startViewerServer, viewerScreenshot } from "./viewer_server.ts";

/** What the page's progress bar says, or `null` while there is none. */
function bar(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector("[role=progressbar]");
    if (el === null) return null;
    const fill = el.firstElementChild as HTMLElement;
    return {
      now: el.getAttribute("aria-valuenow"),
      max: el.getAttribute("aria-valuemax"),
      text: el.getAttribute("aria-valuetext"),
      fill: fill.getBoundingClientRect().width / el.getBoundingClientRect().width,
      fillColour: getComputedStyle(fill).backgroundColor,
    };
  });
}

/** Waits (bounded) until the bar's aria-valuenow is `value`. */
async function barAt(page: Page, value: number, ms = 10_000) {
  await page.waitForSelector(`[role=progressbar][aria-valuenow="${value}"]`, { timeout: ms });
  // The fill's width is eased over 0.2 s.
  await page.waitForTimeout(300);
  return (await bar(page))!;
}

Deno.test({
  name: "e2e: the progress bar follows the job and is full at an ok end only",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();

  for (const viewer of [false, true]) {
    const name = viewer ? "LogViewer" : "LogPanel with progressBar";
    await t.step(`${name}: follows the job; an ok end fills it`, async () => {
      const job = server.job();
      const { page, errors } = await chromium.newPage();
      await page.goto(server.page({
        url: `/log/${job.jobId}/stream`,
        viewer,
        props: viewer ? {} : { progressBar: true },
      }));
      job.log("Fetching 4 pages");
      await page.waitForSelector(`main[data-status="open"][data-count="1"]`);
      assert.equal(await bar(page), null, "no bar before the first progress");
      job.progress(1, 4, "pages");
      let shown = await barAt(page, 1);
      assert.equal(shown.max, "4");
      assert.equal(shown.text, "1 / 4 pages");
      assert.ok(Math.abs(shown.fill - 0.25) < 0.02, `fill ${shown.fill}`);
      for (let i = 0; i < 500; i++) job.progress(1 + i / 250, 4, "pages");
      job.progress(3, 4, "pages");
      shown = await barAt(page, 3);
      assert.ok(Math.abs(shown.fill - 0.75) < 0.02, `fill ${shown.fill}`);
      assert.equal(await page.locator(".streamator-progress-text").textContent(), "3 / 4 pages");
      await job.close();
      await page.waitForSelector(`main[data-status="done"]`);
      shown = await barAt(page, 4);
      assert.ok(shown.fill > 0.98, `fill ${shown.fill}`);
      assert.equal(await page.locator(".streamator-log-entry").count(), 1, "progress is no row");
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  await t.step("a failed job's bar stays where it stopped; no total is indeterminate", async () => {
    const job = server.job();
    const { page, errors } = await chromium.newPage();
    await page.goto(server.page({ url: `/log/${job.jobId}/stream`, viewer: true }));
    job.progress(7);
    await page.waitForSelector(".streamator-progress-fill--indeterminate");
    const moving = await bar(page);
    assert.equal(moving!.now, null);
    assert.equal(moving!.text, "7");
    job.progress(2, 5, "files");
    await barAt(page, 2);
    await job.close({ status: "error", message: "disk full" });
    await page.waitForSelector(".streamator-progress--stopped");
    const stopped = (await bar(page))!;
    assert.equal(stopped.now, "2", "an error end does not fill the bar");
    assert.ok(Math.abs(stopped.fill - 0.4) < 0.02, `fill ${stopped.fill}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.step("dark theme: the bar's fill is the dark theme's", async () => {
    const job = server.job();
    job.progress(1, 2);
    const { page } = await chromium.newPage();
    await page.goto(server.page({
      url: `/log/${job.jobId}/stream`,
      viewer: true,
      props: { theme: "dark" },
    }));
    const dark = await barAt(page, 1);
    assert.equal(dark.fillColour, "rgb(122, 166, 255)");
    await page.goto(server.page({ url: `/log/${job.jobId}/stream`, viewer: true }));
    const light = await barAt(page, 1);
    assert.equal(light.fillColour, "rgb(31, 95, 191)");
    await job.close();
    await page.close();
  });
});

Deno.test({
  name: "e2e: a 1,000-step \\r download is one row in LogViewer; Copy all keeps every entry",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();
  const job = server.job();
  job.log("GET https://example.com/data.bin");
  for (let i = 1; i <= 1000; i++) job.log(`\rreceived ${i} of 1000 kB (${i / 10}%)`);
  job.log("Saved data.bin", "success");
  await job.close();
  const { page, errors } = await chromium.newPage();
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: server.url,
  });
  await openDone(page, server, { url: `/log/${job.jobId}/stream`, viewer: true }, 1002);
  const rows = await page.locator(".streamator-log-entry").allTextContents();
  assert.deepEqual(rows.map((r) => r.replace(/^\S+ /, "")), [
    "GET https://example.com/data.bin",
    "received 1000 of 1000 kB (100%)",
    "Saved data.bin",
  ]);
  await page.getByRole("button", { name: "Copy all" }).click();
  await page.getByText("Copied 1002 lines").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied.split("\n").filter((l) => l.includes("received")).length, 1000);

  // LogPanel without redrawLines: every entry is a row, each showing its last segment.
  await openDone(page, server, { url: `/log/${job.jobId}/stream` }, 1002);
  const box = page.locator(".streamator-log");
  await box.evaluate((el) => el.scrollTop = 0);
  await page.waitForTimeout(100);
  const first = await page.locator(".streamator-log-entry").allTextContents();
  assert.equal(first[1].replace(/^\S+ /, ""), "received 1 of 1000 kB (0.1%)");
  assert.ok(!first.some((row) => row.includes("\r")));
  assert.deepEqual(errors, []);
  await page.close();
});

Deno.test({
  name: "e2e: LogViewer with a job in progress, screenshot for the README",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();
  const job = server.job();
  const lines = [
    "Job started: summarise 40 editions",
    "Fetching the archive index",
    "Edition 1 of 40: 12 articles summarised",
    "Edition 2 of 40: 9 articles summarised",
    "Rate limited: retrying edition 3 in 2 s",
  ];
  for (const [i, text] of lines.entries()) {
    job.log(text, i === 4 ? "warning" : "info");
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  for (let i = 3; i <= 27; i++) job.progress(i, 40, "editions");
  job.log("Edition 27 of 40: 14 articles summarised");
  const { page, errors } = await chromium.newPage({ width: 900, height: 420 });
  await page.goto(server.page({
    url: `/log/${job.jobId}/stream`,
    viewer: true,
    props: { maxHeight: "180px", theme: "light" },
  }));
  await page.waitForSelector(`main[data-count="6"]`);
  const shown = await barAt(page, 27);
  assert.equal(shown.text, "27 / 40 editions");
  await viewerScreenshot(page, "viewer-progress.png", { animations: "disabled" });
  assert.deepEqual(errors, []);
  await job.close();
  await page.close();
});
