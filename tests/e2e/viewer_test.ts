/**
 * End to end, in real Chromium: LogViewer reading real jobs over SSE from a
 * real log handler. Search over 100,000 entries (the rows stay windowed),
 * ANSI colours, "Copy all" (the clipboard holds the whole log) and the
 * downloads; keyboard-only use.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "../support/browser.ts";
import { formatTime } from "../../client/format_time.ts";
import { stripAnsi } from "../../react/ansi.ts";
import {
  ansiJob,
  openDone,
  searchCount,
  startViewerServer,
  type ViewerServer,
} from "./viewer_server.ts";

/** The job's raw events, as the `{ logs }` poll route returns them. */
async function rawEvents(server: ViewerServer, jobId: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${server.url}/log/${jobId}`);
  return (await response.json()).logs;
}

/** The whole log as the viewer copies it: `time text` lines, from the raw events. */
function expectedText(events: Record<string, unknown>[]): string {
  return events.filter((e) => e.event === "log")
    .map((e) => `${formatTime(e.t as number)} ${stripAnsi(e.message as string)}\n`).join("");
}

/** Whether the current match is inside the visible part of the log box. */
function currentMatchInView(page: Page) {
  return page.evaluate(() => {
    const box = document.querySelector(".streamator-log")!.getBoundingClientRect();
    const mark = document.querySelector(".streamator-match--current");
    if (mark === null) return { inView: false, row: "" };
    const r = mark.getBoundingClientRect();
    return {
      inView: r.top >= box.top && r.bottom <= box.bottom,
      row: mark.closest(".streamator-log-entry")!.textContent!,
    };
  });
}

/** Waits until the current match is inside the visible part of the log box. */
async function currentMatchShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const box = document.querySelector(".streamator-log")!.getBoundingClientRect();
      const r = document.querySelector(".streamator-match--current")?.getBoundingClientRect();
      return r !== undefined && r.top >= box.top && r.bottom <= box.bottom;
    },
    undefined,
    { timeout: 5_000, polling: "raf" },
  );
}

Deno.test({
  name: "e2e: LogViewer in Chromium (search, ANSI, copy, download)",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  await using server = await startViewerServer();
  await using chromium = await launchBrowser();

  // A 100,000-entry job: every 10th entry has a numbered needle.
  const big = server.job();
  for (let i = 0; i < 100_000; i++) {
    big.log(i % 10 === 3 ? `step ${i}: Needle #${(i - 3) / 10}.` : `step ${i}`, "info");
  }
  await big.close();
  const bigEvents = await rawEvents(server, big.jobId);

  await t.step(
    "search over 100,000 entries: counts, moves, and keeps the rows windowed",
    async () => {
      const { page, errors } = await chromium.newPage();
      await openDone(page, server, { url: `/log/${big.jobId}/stream`, viewer: true }, 100_000);
      const rows = () => page.locator(".streamator-log-entry").count();
      assert.ok(await rows() <= 60, `${await rows()} rows in the DOM`);

      await page.getByRole("searchbox", { name: "Search" }).fill("needle");
      await page.waitForFunction(() =>
        document.querySelector(".streamator-viewer-count")?.textContent === "1 of 10000"
      );
      assert.deepEqual(await currentMatchInView(page), {
        inView: true,
        row: "0.0s step 3: Needle #0.",
      });
      assert.ok(await rows() <= 60, `${await rows()} rows in the DOM`);
      // Every visible match is marked, the current one differently.
      const marks = await page.locator("mark.streamator-match").allTextContents();
      assert.ok(marks.length >= 2 && marks.every((m) => m === "Needle"), marks.join());

      // Enter: the next match; Shift+Enter from the first wraps to the last, far below.
      await page.keyboard.press("Enter");
      assert.equal(await searchCount(page), "2 of 10000");
      assert.equal((await currentMatchInView(page)).row.endsWith("step 13: Needle #1."), true);
      await page.keyboard.press("Shift+Enter");
      await page.keyboard.press("Shift+Enter");
      assert.equal(await searchCount(page), "10000 of 10000");
      await currentMatchShown(page);
      assert.match((await currentMatchInView(page)).row, /step 99993: Needle #9999\.$/);

      // A needle in the middle, found by its number; case matters only when asked.
      await page.getByRole("searchbox", { name: "Search" }).fill("needle #5000.");
      await page.waitForFunction(() =>
        document.querySelector(".streamator-viewer-count")?.textContent === "1 of 1"
      );
      await currentMatchShown(page);
      assert.match((await currentMatchInView(page)).row, /step 50003: Needle #5000\.$/);
      await page.getByRole("checkbox", { name: "Match case" }).check();
      assert.equal(await searchCount(page), "No matches");
      assert.ok(await rows() <= 60, `${await rows()} rows in the DOM`);
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step(
    "keyboard: Ctrl+F from the log, then Tab reaches every control in order",
    async () => {
      const { page, errors } = await chromium.newPage();
      const small = server.job();
      for (let i = 0; i < 30; i++) small.log(`line ${i}`);
      await small.close();
      await openDone(page, server, {
        url: `/log/${small.jobId}/stream`,
        viewer: true,
        eventsUrl: `/log/${small.jobId}`,
      }, 30);
      await page.locator(".streamator-log").focus();
      await page.keyboard.press("Control+f");
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement!;
          return el.getAttribute("aria-label") ?? el.closest("label")?.textContent ??
            el.textContent ?? el.className;
        });
      assert.equal(await focused(), "Search");
      await page.keyboard.type("line 2");
      const names = [];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press("Tab");
        names.push(await focused());
      }
      assert.deepEqual(names, [
        "Previous match",
        "Next match",
        "Match case",
        "Info 30",
        "Success 0",
        "Warning 0",
        "Error 0",
        "Follow",
        "Copy all",
        "Download .txt",
        "Download .jsonl",
        "Job log",
      ]);
      // Space toggles a level; the log is scrollable from the keyboard.
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      assert.equal(await focused(), "Error 0");
      await page.keyboard.press("Space");
      assert.equal(
        await page.getByRole("button", { name: "Error" }).getAttribute("aria-pressed"),
        "false",
      );
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step("Copy all: the clipboard holds the whole log, not the rows on screen", async () => {
    const { page, errors } = await chromium.newPage();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: server.url,
    });
    await openDone(page, server, { url: `/log/${big.jobId}/stream`, viewer: true }, 100_000);
    await page.getByRole("button", { name: "Copy all" }).click();
    await page.getByText("Copied 100000 lines").waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, expectedText(bigEvents));
    assert.equal(copied.split("\n").length, 100_001);
    assert.deepEqual(errors, []);
    await page.close();
  });

  // A job with ANSI colours, HTML in a message, and a few levels.
  const ansi = await ansiJob(server);
  const ansiEvents = await rawEvents(server, ansi.jobId);

  await t.step(
    "ANSI: styled spans with the theme's colours; other escapes and HTML stay out",
    async () => {
      const { page, errors } = await chromium.newPage();
      await openDone(page, server, {
        url: `/log/${ansi.jobId}/stream`,
        viewer: true,
        props: { ansi: true },
      }, 7);
      const style = (selector: string) =>
        page.locator(selector).first().evaluate((el) => {
          const s = getComputedStyle(el);
          return {
            text: el.textContent,
            color: s.color,
            weight: s.fontWeight,
            bg: s.backgroundColor,
          };
        });
      assert.deepEqual(await style(".streamator-ansi-fg2.streamator-ansi-bold"), {
        text: "✔ PASS",
        color: "rgb(46, 125, 50)", // --streamator-ansi-2 in the light theme
        weight: "700",
        bg: "rgba(0, 0, 0, 0)",
      });
      assert.equal((await style(".streamator-ansi-fg")).color, "rgb(255, 135, 0)");
      assert.equal(
        await page.locator(".streamator-ansi-fg").nth(1).evaluate((el) =>
          getComputedStyle(el).color
        ),
        "rgb(90, 120, 250)",
      );
      assert.equal(
        await page.locator(".streamator-ansi-underline").evaluate((el) =>
          getComputedStyle(el).textDecorationLine
        ),
        "underline",
      );
      const rows = await page.locator(".streamator-log-entry").allTextContents();
      // No escape or other control character reaches the page.
      // deno-lint-ignore no-control-regex
      assert.ok(rows.every((r) => !/[\x00-\x08\x0b-\x1f]/.test(r)), JSON.stringify(rows));
      assert.ok(rows.some((r) => r.endsWith(" Progress 100%")), JSON.stringify(rows));
      assert.ok(rows.some((r) => r.includes("<script>window.__xss = 1</script><img src=x")));
      assert.equal(await page.locator(".streamator-log script, .streamator-log img").count(), 0);
      assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  await t.step("downloads: .txt is the whole log, .jsonl the raw events", async () => {
    const { page, errors } = await chromium.newPage();
    await openDone(page, server, {
      url: `/log/${ansi.jobId}/stream`,
      viewer: true,
      props: { ansi: true, fileName: "build-7" },
      eventsUrl: `/log/${ansi.jobId}`,
    }, 7);
    const save = async (name: string) => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name }).click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), text: await Deno.readTextFile(path) };
    };
    const txt = await save("Download .txt");
    assert.equal(txt.name, "build-7.txt");
    assert.equal(txt.text, expectedText(ansiEvents));
    const jsonl = await save("Download .jsonl");
    assert.equal(jsonl.name, "build-7.jsonl");
    assert.deepEqual(jsonl.text.trimEnd().split("\n").map((line) => JSON.parse(line)), ansiEvents);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
