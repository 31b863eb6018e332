// Drives Debian's Chromium with playwright-core through the browser
// benchmark: for each run, a fresh headless Chromium (fresh --user-data-dir)
// opens the page, the app starts reading its job, and main-thread time
// (CDP Performance.getMetrics TaskDuration), the longest task, React commits
// and DOM nodes are read once the last entry is shown. A run with `throttle`
// slows the page's CPU that many times (CDP Emulation.setCPUThrottlingRate),
// as on a phone-class CPU; a run with `search` types it into the page's
// search box before the start.
// Usage: node driver.mjs '{"base":"http://127.0.0.1:P","runs":[{"app":"ours","job":"x","n":100000,"throttle":4}],"deadlineMs":90000}'
// Prints one JSON line: [{ app, throttle, ... }].
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const options = JSON.parse(process.argv[2]);
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

async function metrics(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function measure(run) {
  const dir = mkdtempSync(join(tmpdir(), "streamator-bench-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
    await page.goto(`${options.base}/?app=${run.app}&job=${run.job}&n=${run.n}`);
    await page.waitForFunction(() => typeof globalThis.__start === "function");
    if (run.search) await page.fill("input[type=search]", run.search);
    if (run.throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: run.throttle });
    const before = await metrics(cdp);
    await page.evaluate(() => globalThis.__start());
    let finished = true;
    try {
      await page.waitForFunction(() => globalThis.__bench.doneAt > 0, null, {
        timeout: options.deadlineMs,
        polling: 250,
      });
    } catch {
      finished = false;
    }
    await page.waitForTimeout(500); // let the last frame's work finish
    const after = await metrics(cdp);
    const bench = await page.evaluate(() => ({
      ...globalThis.__bench,
      domNodes: document.getElementsByTagName("*").length,
    }));
    return {
      app: run.app,
      throttle: run.throttle ?? 1,
      finished,
      received: bench.received,
      wallMs: finished ? bench.doneAt - bench.startAt : options.deadlineMs,
      mainThreadMs: (after.TaskDuration - before.TaskDuration) * 1000,
      scriptMs: (after.ScriptDuration - before.ScriptDuration) * 1000,
      longestTaskMs: bench.longest,
      longTasks: bench.longTasks,
      commits: bench.commits,
      frames: bench.frames,
      maxCommitsPerFrame: bench.maxCommitsPerFrame,
      updates: bench.updates,
      maxUpdatesPerFrame: bench.maxUpdatesPerFrame,
      renderMs: bench.renderMs,
      domNodes: bench.domNodes,
      heapMB: after.JSHeapUsedSize / 2 ** 20,
    };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const run of options.runs) results.push(await measure(run));
console.log(JSON.stringify(results));
