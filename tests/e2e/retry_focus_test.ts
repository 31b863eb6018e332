/**
 * End to end, in real Chromium, keyboard only: a log that stopped with an
 * error offers Retry in `<LogPanel {...stream} />`'s status line. A keyboard
 * user who tabs to it and presses Enter must not be thrown back to the top of
 * the page: when the retry fails again, focus is still on the panel's Retry
 * (or somewhere in the panel), not on `<body>`.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startViewerServer } from "./viewer_server.ts";

Deno.test("e2e: Retry pressed from the keyboard keeps focus in the panel", async () => {
  await using pages = await startViewerServer();
  await using chromium = await launchBrowser();
  const { page, errors } = await chromium.newPage();
  // A job this server does not know: every attempt answers 404, an error retrying cannot mend.
  const unknown = "00000000-0000-4000-8000-000000000000";
  await page.goto(pages.page({ url: `${pages.url}/log/${unknown}/stream` }));
  await page.waitForSelector('main[data-status="error"]', { timeout: 10_000 });

  // Tab until the Retry button has focus (bounded: the page has few stops).
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement?.textContent === "Retry")) break;
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Retry");

  const attempts = () => page.evaluate(() => performance.getEntriesByType("resource").length);
  const before = await attempts();
  await page.keyboard.press("Enter");
  // The retry is made and fails again.
  await page.waitForFunction((n) => performance.getEntriesByType("resource").length > n, before);
  await page.waitForSelector('main[data-status="error"]', { timeout: 10_000 });

  const focus = await page.evaluate(() => {
    const active = document.activeElement;
    return {
      tag: active?.tagName,
      inPanel: active !== null && active.closest("main") !== null && active !== document.body,
    };
  });
  assert.ok(focus.inPanel, `after Retry, keyboard focus fell to <${focus.tag?.toLowerCase()}>`);
  assert.deepEqual(errors, []);
  await page.close();
});
