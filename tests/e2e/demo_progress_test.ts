/**
 * The demo's slow job reports progress: in real Chromium, over SSE and
 * polling, its card's bar follows the ticks and is full once the job ends
 * ok; a cancelled job's bar stays where it stopped.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startDemoTask } from "../support/demo_process.ts";
import { openJob, waitCount, waitDone } from "../support/demo_page.ts";

const bar = (id: string) => `article[data-job-id="${id}"] [role=progressbar]`;

Deno.test({
  name: "e2e: the demo's slow job shows a progress bar that follows it",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using demo = await startDemoTask();
  await using chromium = await launchBrowser();

  for (const mode of ["sse", "poll"]) {
    await t.step(`${mode}: the bar follows the ticks and ends full`, async () => {
      const { page, errors } = await chromium.newPage();
      const id = await openJob(page, demo.url, `?start=slow&n=12&delayMs=300&mode=${mode}`);
      await waitCount(page, id, 2);
      await page.waitForSelector(bar(id), { timeout: 10_000 });
      const early = Number(await page.getAttribute(bar(id), "aria-valuenow"));
      assert.ok(early >= 1 && early < 12, `bar at ${early}`);
      assert.equal(await page.getAttribute(bar(id), "aria-valuemax"), "12");
      await waitDone(page, id);
      await page.waitForSelector(`${bar(id)}[aria-valuenow="12"]`, { timeout: 10_000 });
      assert.equal(
        await page.textContent(`article[data-job-id="${id}"] .streamator-progress-text`),
        "12 / 12 ticks",
      );
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  await t.step("a cancelled job's bar stays where it stopped", async () => {
    const { page, errors } = await chromium.newPage();
    const id = await openJob(page, demo.url, "?start=slow&n=400&delayMs=40");
    await waitCount(page, id, 5);
    await page.click(`article[data-job-id="${id}"] button.cancel`);
    await waitDone(page, id);
    const stopped = Number(await page.getAttribute(bar(id), "aria-valuenow"));
    assert.ok(stopped >= 5 && stopped < 400, `bar at ${stopped}`);
    assert.ok(
      await page.locator(`article[data-job-id="${id}"] .streamator-progress--stopped`).count(),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
