/**
 * End to end, in real Chromium against the demo: a reader scrolling a live
 * log, and a 100,000-entry job (the longest main-thread task is reported;
 * the rows in the DOM stay bounded).
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startDemoTask } from "../support/demo_process.ts";
import {
  expectedRows,
  openJob,
  panelOf,
  rowsInDom,
  serverLog,
  shownCount,
  waitCount,
  waitDone,
} from "../support/demo_page.ts";

/** The most rows LogPanel puts in the DOM (react/log_panel.tsx, MAX_ROWS). */
const MAX_ROWS = 400;

Deno.test({
  name: "e2e: scrolling and a 100,000-entry job in Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using demo = await startDemoTask();
  await using chromium = await launchBrowser();

  await t.step(
    "scrolled up, the view stays put; back at the bottom, it follows again",
    async () => {
      const { page, errors } = await chromium.newPage();
      const id = await openJob(page, demo.url, "?start=slow&n=200&delayMs=25");
      const panel = page.locator(panelOf(id));
      await waitCount(page, id, 30);
      /** The panel's scroll position and the text of the row at its top edge. */
      const where = () =>
        panel.evaluate((el) => {
          const top = el.getBoundingClientRect().top + 1;
          const row = [...el.querySelectorAll(".streamator-log-entry")]
            .find((r) => r.getBoundingClientRect().bottom > top);
          return {
            scrollTop: el.scrollTop,
            gap: el.scrollHeight - el.clientHeight - el.scrollTop,
            topRow: row?.textContent ?? "",
          };
        });

      // The reader scrolls up with the mouse wheel, mid-stream.
      await panel.hover();
      await page.mouse.wheel(0, -200);
      await page.waitForFunction(
        (el) => el!.scrollHeight - el!.clientHeight - el!.scrollTop > 150,
        await panel.elementHandle(),
        { timeout: 5_000, polling: "raf" },
      );
      const before = await where();
      const countBefore = await shownCount(page, id);
      await waitCount(page, id, countBefore + 15);
      const after = await where();
      assert.equal(after.scrollTop, before.scrollTop);
      assert.equal(after.topRow, before.topRow);
      assert.ok(after.gap > before.gap, "new rows arrived below the view");

      // Back to the bottom: the newest row is in view again as more arrive.
      await page.mouse.wheel(0, 1_000_000);
      const count = await shownCount(page, id);
      assert.ok(count < 200, "the job is still running");
      await waitCount(page, id, count + 10);
      await page.waitForFunction(
        ([selector, jobId]) => {
          const el = document.querySelector(selector)!;
          const shown = document.querySelector(`article[data-job-id="${jobId}"]`)!
            .getAttribute("data-count");
          const rows = el.querySelectorAll(".streamator-log-entry");
          const last = rows[rows.length - 1]?.textContent ?? "";
          return el.scrollHeight - el.clientHeight - el.scrollTop <= 8 &&
            last.endsWith(` tick ${shown} of 200`);
        },
        [panelOf(id), id] as const,
        { timeout: 5_000, polling: "raf" },
      );
      await waitDone(page, id);
      const rows = await rowsInDom(page, id);
      assert.deepEqual(rows.at(-1), (await expectedRows(demo.url, id)).at(-1));
      assert.ok((await where()).gap <= 8);
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  for (const mode of ["sse", "poll"]) {
    await t.step(
      `100,000 entries over ${mode}: the page stays responsive, the DOM small`,
      () => hundredThousand(mode),
    );
  }

  async function hundredThousand(mode: string) {
    const { page, errors } = await chromium.newPage();
    // Before the app runs: record long main-thread tasks and the most rows in the DOM.
    await page.addInitScript(() => {
      const w = window as unknown as { longest: number; longTasks: number; maxRows: number };
      w.longest = 0;
      w.longTasks = 0;
      w.maxRows = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          w.longTasks++;
          w.longest = Math.max(w.longest, entry.duration);
        }
      }).observe({ type: "longtask", buffered: true });
      const sample = () => {
        w.maxRows = Math.max(w.maxRows, document.querySelectorAll(".streamator-log-entry").length);
        requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    });
    const id = await openJob(page, demo.url, `?start=burst&n=100000&mode=${mode}`);
    await waitCount(page, id, 2_000, 60_000);
    // The page takes input while the log fills.
    await page.fill("#burst-size", "42");
    assert.equal(await page.inputValue("#burst-size"), "42");
    await waitDone(page, id, 120_000);
    const total = (await serverLog(demo.url, id)).length;
    assert.equal(total, 100_002);
    assert.equal(await shownCount(page, id), total);
    // Following: the rows in view are the log's last ones.
    const expected = await expectedRows(demo.url, id);
    const shown = await rowsInDom(page, id);
    assert.deepEqual(shown, expected.slice(-shown.length));
    const stats = await page.evaluate(() => {
      const w = window as unknown as { longest: number; longTasks: number; maxRows: number };
      return { longest: w.longest, longTasks: w.longTasks, maxRows: w.maxRows };
    });
    console.log(
      `100,000 entries over ${mode}: longest main-thread task ${Math.round(stats.longest)} ms ` +
        `(${stats.longTasks} tasks over 50 ms); at most ${stats.maxRows} rows in the DOM`,
    );
    assert.ok(stats.maxRows > 0 && stats.maxRows <= MAX_ROWS, `${stats.maxRows} rows`);
    assert.ok(shown.length <= MAX_ROWS);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
