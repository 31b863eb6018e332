/**
 * End to end, in real Chromium against the demo (`deno task demo`): what a
 * user sees of a job's live log, in one tab, in two tabs, over SSE and over
 * polling, with HTML in the messages; and the README's screenshot.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startDemoTask } from "../support/demo_process.ts";
import {
  expectedRows,
  openJob,
  panelOf,
  readAllRows,
  shownCount,
  waitCount,
  waitDone,
} from "../support/demo_page.ts";
import { FaultProxy, latestRequest } from "../support/fault_proxy.ts";

const streams = latestRequest(/^GET \/log\/[\w-]+\/stream/);

Deno.test({
  name: "e2e: the demo's live log in Chromium",
  // Playwright keeps a pipe and timers to the browser process between steps.
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using demo = await startDemoTask();
  await using proxy = FaultProxy.start(demo.url);
  await using chromium = await launchBrowser();

  await t.step(
    "a job: the waiting text pulses, rows arrive in order, inactive at the end",
    async () => {
      const { page, errors } = await chromium.newPage();
      // Hold the stream's bytes so the panel waits, as on a slow network.
      proxy.hold(streams);
      const id = await openJob(page, proxy.url, "?start=demo&delayMs=20");
      const waiting = page.locator(`${panelOf(id)} .streamator-log-waiting`);
      await waiting.waitFor({ timeout: 10_000 });
      assert.equal(await waiting.textContent(), "⏳ Starting…");
      assert.deepEqual(
        await waiting.evaluate((el) =>
          el.getAnimations().map((a) => [(a as CSSAnimation).animationName, a.playState])
        ),
        [["streamator-pulse", "running"]],
      );
      // It visibly fades: its opacity drops below 0.9 within one pulse (1.4 s).
      await page.waitForFunction(
        (el) => Number(getComputedStyle(el!).opacity) < 0.9,
        await waiting.elementHandle(),
        { timeout: 5_000, polling: "raf" },
      );
      assert.equal(await page.getAttribute(`article[data-job-id="${id}"]`, "data-count"), "0");

      proxy.release();
      await waitCount(page, id, 1);
      await waitDone(page, id);
      const rows = await readAllRows(page, id);
      assert.deepEqual(rows, await expectedRows(demo.url, id));
      assert.equal(rows.length, 20);
      assert.deepEqual(
        new Set(rows.map((r) => r.level)),
        new Set(["info", "warning", "error", "success"]),
      );
      // Row classes carry the level; times are the server's, in order.
      const classes = await page.$$eval(
        `${panelOf(id)} .streamator-log-entry`,
        (els) => els.map((el) => el.className),
      );
      assert.ok(
        classes.includes("streamator-log-entry streamator-log-entry--error"),
        classes.join(),
      );
      const times = rows.map((r) => Number.parseFloat(r.t));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      assert.equal(rows.at(-1)!.text, "Done");
      // Inactive: no waiting text, the badge says done.
      assert.equal(await waiting.count(), 0);
      // One load, one job: the page's start-on-load ran once.
      assert.equal(await page.locator("article.job").count(), 1);
      assert.equal(await page.textContent(`article[data-job-id="${id}"] .badge`), "done");
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step("messages with HTML and script tags show as text, and nothing runs", async () => {
    const { page, errors } = await chromium.newPage();
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      dialog.dismiss().catch(() => {});
    });
    const id = await openJob(page, demo.url, "?start=html&delayMs=0");
    await waitDone(page, id);
    const rows = await readAllRows(page, id);
    assert.deepEqual(rows, await expectedRows(demo.url, id));
    const texts = rows.map((r) => r.text);
    assert.ok(
      texts.includes('<script>window.__xss = true; alert("xss")</script>'),
      texts.join("\n"),
    );
    assert.ok(texts.includes('<img src="x" onerror="window.__xss = true">'));
    assert.ok(texts.includes("&lt;not an entity&gt; & <i>not italic</i>"));
    const panel = page.locator(panelOf(id));
    assert.equal(await panel.locator("script, img, b, i").count(), 0);
    assert.equal(await page.evaluate(() => (window as { __xss?: boolean }).__xss), undefined);
    assert.equal(dialogs, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.step("two tabs on one job, and a tab polling it, show identical rows", async () => {
    const a = await chromium.newPage();
    const id = await openJob(a.page, demo.url, "?start=slow&n=30&delayMs=40");
    await waitCount(a.page, id, 3);
    // The page lists its jobs in its URL: the same URL in a second tab shows the same job.
    await a.page.waitForURL(/job=sse/, { timeout: 5_000 });
    const b = await chromium.newPage();
    assert.equal(await openJob(b.page, demo.url, a.page.url()), id);
    const c = await chromium.newPage();
    const pollUrl = a.page.url().replace("job=sse", "job=poll");
    assert.equal(await openJob(c.page, demo.url, pollUrl), id);
    assert.match(await c.page.textContent(`article[data-job-id="${id}"] .meta`) ?? "", /polling/);
    await Promise.all([a, b, c].map(({ page }) => waitDone(page, id)));
    const expected = await expectedRows(demo.url, id);
    assert.equal(expected.length, 30);
    for (const tab of [a, b, c]) {
      assert.equal(await shownCount(tab.page, id), 30);
      assert.deepEqual(await readAllRows(tab.page, id), expected);
      assert.deepEqual(tab.errors, []);
      await tab.page.close();
    }
  });

  await t.step("a screenshot of the demo for the README", async () => {
    // A short window: the full-page shot is then as tall as the content.
    const { page } = await chromium.newPage({ width: 1000, height: 400 });
    const id = await openJob(page, demo.url, "?start=demo&delayMs=80");
    await waitDone(page, id);
    await page.click("#start-slow");
    await page.locator("article.job").nth(1).waitFor({ timeout: 10_000 });
    const slow = await page.locator("article.job").first().getAttribute("data-job-id");
    await waitCount(page, slow!, 6);
    await page.mouse.move(0, 0); // no hover on the buttons
    // STREAMATOR_SCREENSHOT=1 refreshes docs/demo.png; otherwise it goes to a temp file.
    const path = Deno.env.get("STREAMATOR_SCREENSHOT") === "1"
      ? new URL("../../docs/demo.png", import.meta.url).pathname
      : await Deno.makeTempFile({ suffix: ".png" });
    try {
      await page.screenshot({ path, fullPage: true });
      const png = await Deno.readFile(path);
      assert.deepEqual([...png.subarray(1, 4)], [...new TextEncoder().encode("PNG")]);
      assert.ok(png.length > 10_000, `${png.length} bytes`);
    } finally {
      if (!path.endsWith("docs/demo.png")) await Deno.remove(path);
    }
    await page.close();
  });
});
