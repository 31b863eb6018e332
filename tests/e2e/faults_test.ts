/**
 * End to end, in real Chromium against the demo: a network that drops the
 * log stream mid-job (a TCP proxy that cuts it, mid-event), and a reader who
 * reloads the page mid-job. What the page shows must still equal what the
 * server logged: no gap, no duplicate, the server's times.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startDemoTask } from "../support/demo_process.ts";
import {
  expectedRows,
  openJob,
  readAllRows,
  rowsInDom,
  shownCount,
  waitCount,
  waitDone,
} from "../support/demo_page.ts";
import { FaultProxy, latestRequest } from "../support/fault_proxy.ts";

const streamLine = /^GET \/log\/[\w-]+\/stream/;
const streams = latestRequest(streamLine);

/** The stream requests that went through the proxy, with the Last-Event-ID each sent. */
function streamRequests(proxy: FaultProxy): (number | null)[] {
  return proxy.requests
    .filter((head) => streamLine.test(head))
    .map((head) => {
      const match = head.match(/^last-event-id: *(\d+)/im);
      return match ? Number(match[1]) : null;
    });
}

/** Waits (bounded) until `n` stream requests have gone through the proxy. */
async function waitStreamRequests(proxy: FaultProxy, n: number) {
  const deadline = Date.now() + 15_000;
  while (streamRequests(proxy).length < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} stream requests`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test({
  name: "e2e: cut connections and reloads in Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using demo = await startDemoTask();
  await using chromium = await launchBrowser();

  await t.step(
    "the stream is cut mid-event three times: the browser resumes, no gap, no duplicate",
    async () => {
      await using proxy = FaultProxy.start(demo.url);
      const { page, errors } = await chromium.newPage();
      const id = await openJob(page, proxy.url, "?start=slow&n=80&delayMs=70");
      for (const cut of [1, 2, 3]) {
        await waitStreamRequests(proxy, cut);
        await waitCount(page, id, (await shownCount(page, id)) + 2);
        assert.ok((await shownCount(page, id)) < 80, "the job is still running");
        // Let 20 bytes of the next event through, then drop the connection.
        assert.equal(proxy.cut(streams, 20), 1);
        await waitStreamRequests(proxy, cut + 1);
      }
      await waitDone(page, id);
      const expected = await expectedRows(demo.url, id);
      assert.equal(expected.length, 80);
      assert.equal(await shownCount(page, id), 80);
      assert.deepEqual(await readAllRows(page, id), expected);
      // The browser reconnected by itself, each time with the id of the last whole event it had.
      const ids = streamRequests(proxy);
      assert.equal(ids[0], null);
      assert.equal(ids.length, 4);
      for (let i = 2; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, ids.join());
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step("a burst cut mid-transfer twice arrives whole", async () => {
    await using proxy = FaultProxy.start(demo.url);
    const { page, errors } = await chromium.newPage();
    // 30,000 bytes into the first two stream responses: somewhere inside an event.
    proxy.cutNext(streams, 30_000, 2);
    const id = await openJob(page, proxy.url, "?start=burst&n=1000");
    await waitDone(page, id);
    const expected = await expectedRows(demo.url, id);
    assert.equal(expected.length, 1_002);
    assert.equal(await shownCount(page, id), 1_002);
    assert.deepEqual(await readAllRows(page, id), expected);
    const ids = streamRequests(proxy);
    assert.equal(ids.length, 3);
    assert.equal(ids[0], null);
    // A cut drops bytes already sent but not yet read (a reset connection, an errored body):
    // a resume may start where the one before did (or from the start if nothing was read
    // whole before the first cut), never earlier.
    assert.ok((ids[2] ?? -1) >= (ids[1] ?? -1), ids.join());
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.step(
    "a reload mid-job shows the backlog with the server's times, then live rows",
    async () => {
      const { page, errors } = await chromium.newPage();
      const id = await openJob(page, demo.url, "?start=slow&n=40&delayMs=100");
      await waitCount(page, id, 8);
      await page.waitForURL(/job=sse/, { timeout: 5_000 });
      await page.reload();
      await page.locator(`article[data-job-id="${id}"]`).waitFor({ timeout: 10_000 });
      await waitCount(page, id, 8);
      const backlog = await shownCount(page, id);
      assert.ok(backlog < 40, `the job was still running after the reload (${backlog} rows)`);
      const early = await rowsInDom(page, id);
      const server = await expectedRows(demo.url, id);
      const start = server.findIndex((row) => row.text === early[0].text);
      assert.deepEqual(early, server.slice(start, start + early.length));
      await waitDone(page, id);
      const expected = await expectedRows(demo.url, id);
      assert.equal(expected.length, 40);
      assert.equal(await shownCount(page, id), 40);
      assert.deepEqual(await readAllRows(page, id), expected);
      assert.deepEqual(errors, []);
      await page.close();
    },
  );
});
