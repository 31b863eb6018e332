/**
 * End to end, in real Chromium against the demo (`deno task demo`): what a
 * user sees of a whole job: the Cancel button stopping a running job, how
 * each job ended, and its result, also after a reload.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startDemoTask } from "../support/demo_process.ts";
import { openJob, shownCount, waitCount, waitDone } from "../support/demo_page.ts";

const card = (id: string) => `article[data-job-id="${id}"]`;

Deno.test({
  name: "e2e: cancel, outcome and result in the demo, in Chromium",
  // Playwright keeps a pipe and timers to the browser process between steps.
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using demo = await startDemoTask();
  await using chromium = await launchBrowser();

  for (const mode of ["sse", "poll"]) {
    await t.step(`${mode}: Cancel stops a running job; the card says Cancelled`, async () => {
      const { page, errors } = await chromium.newPage();
      const id = await openJob(page, demo.url, `?start=slow&n=400&delayMs=40&mode=${mode}`);
      await waitCount(page, id, 3);
      const button = page.locator(`${card(id)} button.cancel`);
      assert.equal(await button.textContent(), "Cancel");
      await button.click();
      await waitDone(page, id);
      assert.equal(await page.getAttribute(card(id), "data-outcome"), "cancelled");
      assert.equal(await page.textContent(`${card(id)} .outcome`), "Cancelled");
      // The button is gone once the job ended, and no result is shown.
      assert.equal(await button.count(), 0);
      assert.equal(await page.locator(`${card(id)} .result`).count(), 0);
      const shown = await shownCount(page, id);
      assert.ok(shown < 400, `${shown} entries shown`);

      // The server agrees: the job ended cancelled, with the warning as its last line.
      const snapshot = await (await fetch(new URL(`log/${id}`, demo.url))).json();
      assert.equal(snapshot.status, "cancelled");
      const lines = snapshot.logs.filter((e: { event: string }) => e.event === "log");
      assert.equal(lines.at(-1).message, "Cancel requested: stopping");
      assert.equal(shown, lines.length);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  await t.step("a finished job shows its result; a reload shows it again", async () => {
    const { page, errors } = await chromium.newPage();
    const id = await openJob(page, demo.url, "?start=slow&n=5&delayMs=10");
    await waitDone(page, id);
    const result = page.locator(`${card(id)} .result pre`);
    await result.waitFor({ timeout: 10_000 });
    const fromServer = await (await fetch(new URL(`log/${id}/result`, demo.url))).json();
    assert.deepEqual(fromServer, { ticks: 5 });
    assert.deepEqual(JSON.parse((await result.textContent())!), fromServer);
    assert.equal(await page.textContent(`${card(id)} .outcome`), "Finished");
    assert.equal(await page.locator(`${card(id)} button.cancel`).count(), 0);

    // The page lists its jobs in its URL: a reload reads the same result again.
    await page.waitForURL(/job=sse/, { timeout: 5_000 });
    await page.reload();
    await page.locator(`${card(id)} .result pre`).waitFor({ timeout: 10_000 });
    assert.deepEqual(
      JSON.parse((await page.textContent(`${card(id)} .result pre`))!),
      fromServer,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.step("a job that throws shows Failed with its message, over polling", async () => {
    const { page, errors } = await chromium.newPage();
    const id = await openJob(page, demo.url, "?start=fail&delayMs=10&mode=poll");
    await waitDone(page, id);
    assert.equal(await page.getAttribute(card(id), "data-outcome"), "error");
    assert.equal(
      await page.textContent(`${card(id)} .outcome`),
      "Failed: the review API refused the key (401)",
    );
    assert.equal(await page.locator(`${card(id)} .result`).count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
