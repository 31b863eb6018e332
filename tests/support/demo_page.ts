/**
 * Test support: reading the demo page in a real browser the way a user sees
 * it: the job panels, their rows (time, text, level), and the job's log as
 * the server has it, for comparison.
 */
import type { Page } from "playwright-core";
import { formatTime, makeFormatEvent } from "../../react/mod.ts";

/** A row as shown: the time text, the entry text and the level its class shows. */
export interface ShownRow {
  t: string;
  text: string;
  level: string;
}

/** Opens `path` (e.g. `?start=slow&n=20`) of the demo at `base` and returns the first job's id. */
export async function openJob(page: Page, base: string, path: string): Promise<string> {
  await page.goto(new URL(path, base).href);
  const card = page.locator("article.job").first();
  await card.waitFor({ timeout: 15_000 });
  return (await card.getAttribute("data-job-id"))!;
}

/** The CSS selector of a job's panel. */
export function panelOf(jobId: string): string {
  return `article[data-job-id="${jobId}"] .streamator-log`;
}

/** Waits (bounded) until the job's card says `done` and its panel is no longer active. */
export async function waitDone(page: Page, jobId: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (id) =>
      document.querySelector(`article[data-job-id="${id}"]`)?.getAttribute("data-status") ===
        "done",
    jobId,
    { timeout, polling: 50 },
  );
}

/** Waits (bounded) until the job's panel has shown at least `n` entries. */
export async function waitCount(page: Page, jobId: string, n: number, timeout = 30_000) {
  await page.waitForFunction(
    ([id, min]) =>
      Number(document.querySelector(`article[data-job-id="${id}"]`)?.getAttribute("data-count")) >=
        Number(min),
    [jobId, n] as const,
    { timeout, polling: 20 },
  );
}

/** The entry count the job's card shows. */
export async function shownCount(page: Page, jobId: string): Promise<number> {
  return Number(await page.getAttribute(`article[data-job-id="${jobId}"]`, "data-count"));
}

/** The rows in the DOM of the job's panel now, top to bottom (a window of the log when long). */
export function rowsInDom(page: Page, jobId: string): Promise<ShownRow[]> {
  return page.$$eval(`${panelOf(jobId)} .streamator-log-entry`, (rows) =>
    rows.map((el) => {
      const time = el.querySelector(".streamator-log-time")?.textContent ?? "";
      const level = [...el.classList].find((c) => c.startsWith("streamator-log-entry--"));
      return {
        t: time,
        text: (el.textContent ?? "").slice(time.length + 1),
        level: level === undefined ? "info" : level.slice("streamator-log-entry--".length),
      };
    }));
}

/**
 * Every row of the job's panel, top to bottom, read by scrolling the panel
 * from the top to the bottom as a reader would (the panel keeps only the
 * rows in view in the DOM). Rows are told apart by where they sit in the
 * scrolled content, so a row shown twice is read twice. Ends at the bottom.
 */
export async function readAllRows(page: Page, jobId: string): Promise<ShownRow[]> {
  // Background tabs get few animation frames: read from the front.
  await page.bringToFront();
  return await page.evaluate(async (selector) => {
    const panel = document.querySelector<HTMLElement>(selector);
    if (panel === null) return [];
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const row = (el: Element) => {
      const time = el.querySelector(".streamator-log-time")?.textContent ?? "";
      const level = [...el.classList].find((c) => c.startsWith("streamator-log-entry--"));
      return {
        t: time,
        text: (el.textContent ?? "").slice(time.length + 1),
        level: level === undefined ? "info" : level.slice("streamator-log-entry--".length),
      };
    };
    const byTop = new Map<number, ReturnType<typeof row>>();
    /** Waits until the rendered rows cover the view (at most 60 frames), then reads them. */
    const collect = async () => {
      for (let i = 0; i < 60; i++) {
        await frame();
        const rows = panel.querySelectorAll(".streamator-log-entry");
        if (rows.length === 0) continue;
        const view = panel.getBoundingClientRect();
        const first = rows[0].getBoundingClientRect();
        const last = rows[rows.length - 1].getBoundingClientRect();
        const atEnd = panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 1;
        if (i >= 1 && first.top <= view.top + 1 && (last.bottom >= view.bottom - 1 || atEnd)) break;
      }
      const origin = panel.getBoundingClientRect().top - panel.scrollTop;
      for (const el of panel.querySelectorAll(".streamator-log-entry")) {
        byTop.set(Math.round(el.getBoundingClientRect().top - origin), row(el));
      }
    };
    panel.scrollTop = 0;
    await collect();
    for (let i = 0; i < 10_000; i++) {
      if (panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 1) break;
      // A view's worth: the rows rendered beyond the view overlap the last read.
      panel.scrollTop += Math.max(1, panel.clientHeight - 20);
      await collect();
    }
    return [...byTop.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
  }, panelOf(jobId));
}

/** The job's entries as the server has them (`GET /log/{id}?from=`, every page of it). */
export async function serverLog(base: string, jobId: string): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  let from = 0;
  for (let i = 0; i < 1_000; i++) {
    const url = new URL(`log/${jobId}`, base);
    url.searchParams.set("from", String(from));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const body = await response.json();
    // A finished job's snapshot ends with its done event: the end, not an entry.
    entries.push(...body.logs.filter((entry: { event?: string }) => entry.event !== "done"));
    if (body.done || body.next === from) return entries;
    from = body.next;
  }
  throw new Error(`GET /log/${jobId} did not end`);
}

const formatEvent = makeFormatEvent();

/** The rows the server's log should show, formatted as the demo formats them. */
export async function expectedRows(base: string, jobId: string): Promise<ShownRow[]> {
  const rows: ShownRow[] = [];
  for (const entry of await serverLog(base, jobId)) {
    const text = formatEvent(entry);
    if (text === null || text === undefined) continue;
    rows.push({
      t: formatTime(entry.t as number),
      text,
      level: typeof entry.level === "string" ? entry.level : "info",
    });
  }
  return rows;
}
