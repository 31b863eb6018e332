/**
 * The demo's simulated jobs: what a real scraping/LLM job would log, with
 * steps, structured events, progress, warnings, an error and success. Each returns a
 * result, stops when cancelled (every pause ends on `logger.signal`), and
 * `fail` throws, to show an error outcome.
 */
import type { JobLogger, Outcome } from "../mod.ts";

/** The kinds of job the demo runs. */
export const JOB_KINDS = ["demo", "burst", "html", "slow", "fail"] as const;

/** One of {@linkcode JOB_KINDS}. */
export type JobKind = typeof JOB_KINDS[number];

/** How a job runs. */
export interface JobOptions {
  /** Entries for `burst` (1 to 100,000; default 1,000) and `slow` (default 40). */
  n?: number;
  /** The pause between steps, in ms (default 400; 250 for `slow`). */
  delayMs?: number;
}

/** The most entries a burst job may log. */
export const MAX_BURST = 100_000;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * Runs a job to its end and closes its logger with the outcome: `"ok"` with
 * the job's result, `"error"` when it throws, `"cancelled"` when cancelled.
 */
export function runJob(
  logger: JobLogger,
  kind: JobKind,
  options: JobOptions = {},
): Promise<Outcome> {
  logger.signal.addEventListener("abort", () => {
    logger.log("Cancel requested: stopping", "warning");
  }, { once: true });
  return logger.run((log) => {
    if (kind === "burst") return burst(log, options.n ?? 1_000);
    if (kind === "html") return html(log, options.delayMs ?? 100);
    if (kind === "slow") return slow(log, options.n ?? 40, options.delayMs ?? 250);
    if (kind === "fail") return fail(log, options.delayMs ?? 400);
    return demo(log, options.delayMs ?? 400);
  });
}

async function demo(log: JobLogger, delay: number): Promise<Record<string, unknown>> {
  const pause = (factor = 1) => sleep(delay * factor, log.signal);
  log.log("Starting job: find and summarise reviews of 'The Hobbit' audiobook editions");
  await pause();
  log.emit("browser_ready");
  log.emit("loading_strategy", { strategy: "lazy scroll" });
  await pause();
  log.emit("search_started", { query: "The Hobbit audiobook" });
  await pause(1.5);
  log.emit("search_done", { count: 6 });
  const pages = [
    "https://books.example/hobbit/unabridged",
    "https://books.example/hobbit/bbc-radio",
    "https://books.example/hobbit/anniversary",
    "https://books.example/hobbit/kids",
    "https://books.example/hobbit/collector",
    "https://books.example/hobbit/summary",
  ];
  for (let batch = 0; batch < 2; batch++) {
    log.emit("batch_started", { batch: batch + 1, total: 2, size: 3 });
    for (const url of pages.slice(batch * 3, batch * 3 + 3)) {
      await pause();
      if (url.endsWith("bbc-radio")) {
        log.emit("cache_hit", { key: url });
        continue;
      }
      if (url.endsWith("kids")) {
        log.log(`Slow answer from ${url} (4.2 s)`, "warning");
        log.emit("retry", { attempt: 2, reason: "timeout" });
        await pause();
      }
      if (url.endsWith("collector")) {
        log.log(`Failed to load ${url}: 503 Service Unavailable`, "error");
        continue;
      }
      log.emit("page_loaded", { url });
    }
  }
  log.log("Rate limited by the review API; waiting 1 s", "warning");
  await pause(1.5);
  log.emit("llm_started", { model: "summariser-small" });
  await pause(2);
  log.emit("llm_done", { model: "summariser-small", tokens: 812 });
  log.log("4 of 5 editions summarised (1 failed)", "success");
  await pause(0.5);
  log.log("Done", "success");
  return { query: "The Hobbit audiobook", summarised: 4, failed: 1, tokens: 812 };
}

async function burst(log: JobLogger, n: number): Promise<{ entries: number }> {
  log.log(`Burst: logging ${n} entries as fast as possible`);
  for (let i = 1; i <= n; i++) {
    // Some lines are long enough to wrap, so rows differ in height.
    const extra = i % 10 === 0
      ? ` ${"(a longer line that wraps in a narrow panel) ".repeat(3)}`
      : "";
    const level = i % 1000 === 0 ? "warning" : "info";
    log.log(`entry ${i} of ${n}${extra}`, level);
    if (i % 5_000 === 0) await sleep(0, log.signal); // let readers in
  }
  log.log(`Burst done: ${n} entries`, "success");
  return { entries: n };
}

async function html(log: JobLogger, delay: number): Promise<void> {
  log.log("Messages below contain HTML; they must show as text");
  await sleep(delay, log.signal);
  log.log('<script>window.__xss = true; alert("xss")</script>', "warning");
  await sleep(delay, log.signal);
  log.log('<img src="x" onerror="window.__xss = true">', "error");
  await sleep(delay, log.signal);
  log.emit("page_loaded", { url: "https://evil.example/<b>bold</b>" });
  log.log("&lt;not an entity&gt; & <i>not italic</i>", "success");
}

async function slow(log: JobLogger, n: number, delay: number): Promise<{ ticks: number }> {
  for (let i = 1; i <= n; i++) {
    log.log(`tick ${i} of ${n}`, i === n ? "success" : "info");
    log.progress(i, n, "ticks");
    if (i < n) await sleep(delay, log.signal);
  }
  return { ticks: n };
}

async function fail(log: JobLogger, delay: number): Promise<never> {
  log.log("Connecting to the review API");
  await sleep(delay, log.signal);
  log.log("The review API answered 401 Unauthorized", "error");
  throw new Error("the review API refused the key (401)");
}
