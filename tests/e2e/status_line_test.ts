/**
 * End to end, in real Chromium: LogPanel's status line while the log server
 * goes away mid-job. The server is a separate process, stopped for real; the
 * page uses `useLogStream` and `<LogPanel {...stream} />`.
 */
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startServerProcess } from "../support/process_server.ts";
import { startViewerServer } from "./viewer_server.ts";

const SCRIPT = new URL("./log_server_process.ts", import.meta.url).pathname;

function startLogServer(port = 0) {
  return startServerProcess({
    command: Deno.execPath(),
    args: ["run", "--allow-net=127.0.0.1", SCRIPT, String(port)],
    startTimeoutMs: 60_000,
  });
}

Deno.test({
  name: "e2e: LogPanel's status line when the log server stops mid-job",
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await using pages = await startViewerServer();
  await using chromium = await launchBrowser();
  const logServer = await startLogServer();
  let stopped = false;
  try {
    const port = new URL(logServer.url).port;
    const { jobId } = await (await fetch(`${logServer.url}/start`, { method: "POST" })).json();
    const { page, errors } = await chromium.newPage();
    await page.goto(pages.page({
      url: `${logServer.url}/log/${jobId}/stream`,
      maxRetries: 3,
      props: { doneText: "Finished" },
    }));
    await page.waitForFunction(() => Number(document.querySelector("main")?.dataset.count) >= 5);
    const status = page.locator(".streamator-log-status");
    assert.equal(await status.getAttribute("role"), "status");
    assert.equal(await status.textContent(), "");
    assert.equal(await page.locator("main").getAttribute("data-status"), "open");

    // The server goes away: the stream drops and reconnecting fails.
    await logServer[Symbol.asyncDispose]();
    stopped = true;
    await page.waitForSelector('main[data-status="reconnecting"]', { timeout: 10_000 });
    assert.equal(await status.textContent(), "Reconnecting…");
    assert.equal(await page.locator("[role=alert]").count(), 0);
    const shown = await page.locator(".streamator-log-entry").count();
    assert.ok(shown >= 5, "the entries read so far stay");

    // It gives up after maxRetries: an alert with the reason, and a Retry button.
    await page.waitForSelector('main[data-status="error"]', { timeout: 60_000 });
    const alert = page.locator(".streamator-log-status [role=alert]");
    const message = await alert.textContent();
    assert.match(message!, /^⚠ The log stopped: \S/);
    const retry = page.getByRole("button", { name: "Retry" });
    assert.equal(await retry.count(), 1);
    assert.ok(await page.locator(".streamator-log-entry").count() >= 5);

    // Back on the same port (a fresh store, so this job is unknown there): Retry reaches it.
    await using again = await startLogServer(Number(port));
    assert.equal(again.url, logServer.url);
    await retry.click();
    await page.waitForFunction(
      (before) => {
        const text = document.querySelector(".streamator-log-status [role=alert]")?.textContent;
        return text !== undefined && text !== before;
      },
      message,
      { timeout: 30_000 },
    );
    // The job was open before: the server that forgot it lost it, and says so, with no Retry.
    const after = (await alert.textContent())!;
    assert.match(after, /^⚠ The log stopped: the job was lost: .*\/stream answered 404/);
    assert.match(after, /The server no longer knows this job: it restarted/);
    assert.equal(await page.locator("main").getAttribute("data-status"), "error");
    assert.equal(await retry.count(), 0);

    // A job that ends: the done text, politely, and no alert.
    const short = await (await fetch(`${again.url}/start?n=3`, { method: "POST" })).json();
    await page.goto(pages.page({
      url: `${again.url}/log/${short.jobId}/stream`,
      props: { doneText: "Finished" },
    }));
    await page.waitForSelector('main[data-status="done"][data-count="3"]', { timeout: 10_000 });
    assert.equal(await status.textContent(), "Finished");
    assert.equal(await page.locator("[role=alert]").count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    if (!stopped) await logServer[Symbol.asyncDispose]();
  }
});
