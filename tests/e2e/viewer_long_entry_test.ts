/**
 * End to end, in real Chromium: `<LogViewer ansi />` with one very long
 * entry (a 200 KB line, like a base64 blob or a minified JSON dump in a
 * build log) and a search for one character, as happens with the first key
 * typed in the search box. The entry marks a bounded number of occurrences,
 * so the page stays responsive; the waits' timeouts only turn a frozen or
 * crashed tab into a failure, they are not a speed goal.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startViewerServer } from "./viewer_server.ts";

const E = "\x1b[";

Deno.test("e2e: LogViewer searches one character in a 200 KB entry and moves to the next match", async () => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();
  const { page, errors } = await chromium.newPage();
  let crashed = false;
  page.on("crash", () => crashed = true);
  const job = server.job();
  job.log("before");
  job.log(`\x1b[32m${"x".repeat(100_000)}\x1b[0m${"x".repeat(100_000)}`);
  for (let i = 0; i < 200; i++) job.log(`row ${i}`);
  job.log("last x");
  await job.close();
  await page.goto(
    server.page({ url: `/log/${job.jobId}/stream`, viewer: true, props: { ansi: true } }),
  );
  await page.waitForSelector('main[data-status="done"][data-count="203"]', { timeout: 30_000 });

  await page.focus("input[type=search]");
  let outcome = "shown";
  try {
    await page.keyboard.type("x");
    await page.waitForFunction(
      () => document.querySelector(".streamator-viewer-count")?.textContent === "1 of 2",
      null,
      { timeout: 30_000 },
    );
  } catch (error) {
    outcome = crashed ? "the tab crashed" : `no answer: ${(error as Error).message.split("\n")[0]}`;
  }
  assert.equal(outcome, "shown");
  // The count and the marks may land in different frames.
  await page.waitForSelector("mark.streamator-match--current", { timeout: 30_000 });
  const longRow = await page.evaluate(() => {
    const marks = document.querySelectorAll("mark.streamator-match--current");
    const row = marks[0]?.closest(".streamator-log-entry");
    return {
      marks: document.querySelectorAll("mark").length,
      current: marks.length,
      length: row?.textContent?.length,
    };
  });
  assert.ok(longRow.marks >= 1 && longRow.marks <= 200, `${longRow.marks} marks`);
  assert.equal(longRow.current, longRow.marks);
  assert.equal(longRow.length, "0.0s ".length + 200_000); // all the text is still there

  // The next match, far below, is shown and marked as the current one.
  await page.keyboard.press("Enter");
  await page.waitForFunction(() =>
    document.querySelector(".streamator-viewer-count")?.textContent === "2 of 2"
  );
  await page.waitForFunction(() =>
    document.querySelector(".streamator-match--current")?.closest(".streamator-log-entry")
      ?.textContent === "0.0s last x"
  );
  assert.deepEqual(errors, []);
});

/** Whether the current match's mark lies inside the log box's visible area. */
function currentMarkInView(): boolean {
  const box = document.querySelector(".streamator-log")!.getBoundingClientRect();
  const mark = document.querySelector(".streamator-match--current")?.getBoundingClientRect();
  return mark !== undefined && mark.top >= box.top && mark.bottom <= box.bottom;
}

Deno.test("e2e: LogViewer scrolls to a match far inside a 100 KB single-line entry", async () => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();
  const { page, errors } = await chromium.newPage();
  const job = server.job();
  for (let i = 0; i < 50; i++) job.log(`row ${i}`);
  // One line of 100 KB (it wraps over hundreds of lines) with one needle near its end.
  job.log(`${"abc ".repeat(22_500)}NEEDLE${" def".repeat(2_500)}`);
  for (let i = 50; i < 100; i++) job.log(`row ${i}`);
  job.log(`${E}31mFAIL${E}39m and a second NEEDLE, in colour`, "error");
  await job.close();
  await page.goto(
    server.page({ url: `/log/${job.jobId}/stream`, viewer: true, props: { ansi: true } }),
  );
  await page.waitForSelector('main[data-status="done"][data-count="102"]', { timeout: 30_000 });

  await page.getByRole("searchbox", { name: "Search" }).fill("needle");
  await page.waitForFunction(
    () => document.querySelector(".streamator-viewer-count")?.textContent === "1 of 2",
  );
  await page.waitForFunction(currentMarkInView, undefined, { timeout: 5_000, polling: "raf" });
  // Next, and back: each time the current match is in view.
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    () => document.querySelector(".streamator-viewer-count")?.textContent === "2 of 2",
  );
  await page.waitForFunction(currentMarkInView, undefined, { timeout: 5_000, polling: "raf" });
  await page.keyboard.press("Shift+Enter");
  await page.waitForFunction(
    () => document.querySelector(".streamator-viewer-count")?.textContent === "1 of 2",
  );
  await page.waitForFunction(currentMarkInView, undefined, { timeout: 5_000, polling: "raf" });
  assert.deepEqual(errors, []);
});
