/**
 * End to end, in real Chromium: "Copy all" where the page has no Clipboard
 * API (as on a plain-http address other than localhost). The viewer copies
 * through a hidden text area; keyboard focus must stay on the Copy button
 * and the reader's own text selection must stay as it was.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startViewerServer } from "./viewer_server.ts";

Deno.test("e2e: Copy all without the Clipboard API keeps focus on its button and the reader's selection", async () => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();
  const { page, errors } = await chromium.newPage();
  await page.addInitScript(() => {
    Object.defineProperty(navigator, "clipboard", { value: undefined });
    // What the copy put on the clipboard: the selection inside the focused text area.
    document.addEventListener("copy", () => {
      const area = document.activeElement as HTMLTextAreaElement;
      (window as { copied?: string }).copied = area.value.slice(
        area.selectionStart,
        area.selectionEnd,
      );
    }, true);
  });
  const job = server.job();
  for (let i = 1; i <= 5; i++) job.log(`step ${i}`);
  await job.close();
  await page.goto(server.page({ url: `/log/${job.jobId}/stream`, viewer: true }));
  await page.waitForSelector('main[data-status="done"][data-count="5"]', { timeout: 30_000 });
  assert.equal(await page.evaluate(() => navigator.clipboard), undefined);

  // The reader has selected part of a row, then goes to "Copy all" with the keyboard.
  const selected = await page.evaluate(() => {
    const text = document.querySelectorAll(".streamator-log-entry")[1].lastChild!;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 5);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    return getSelection()!.toString();
  });
  assert.equal(selected, "step ");
  await page.getByRole("button", { name: "Copy all" }).focus();
  await page.keyboard.press("Enter");
  await page.getByText("Copied 5 lines").waitFor({ timeout: 10_000 });

  const after = await page.evaluate(() => ({
    focused: `${document.activeElement!.tagName} ${document.activeElement!.textContent}`,
    selection: getSelection()!.toString(),
    copied: (window as { copied?: string }).copied,
    areas: document.querySelectorAll("textarea").length,
  }));
  assert.deepEqual(after, {
    focused: "BUTTON Copy all",
    selection: "step ",
    copied: ["step 1", "step 2", "step 3", "step 4", "step 5"].map((s) => `0.0s ${s}\n`).join(""),
    areas: 0,
  });
  // The keyboard goes on from there: Tab reaches the next button.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement!.textContent), "Download .txt");
  assert.deepEqual(errors, []);
});
