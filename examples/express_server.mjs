/**
 * Express: the log handler behind an Express app. Run it with
 * `node express_server.mjs` (after `npm install streamator express`).
 *
 * `toNodeHandler` (from `streamator/node`) makes the log handler an Express
 * middleware: it answers the log routes, streaming each response with
 * backpressure and stopping it when the client goes away, and calls `next()`
 * for every other path.
 *
 * The job runs under `logger.run()`, which closes the log with how the job
 * went; it waits on `log.signal`, so `POST /log/{id}/cancel` stops it and
 * the job ends as "cancelled".
 */
import express from "express";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

/** A query value as a whole number from 0 to `max`; `fallback` when absent, else undefined. */
function wholeNumber(text, fallback, max) {
  if (text === undefined) return fallback;
  if (typeof text !== "string" || !/^\d+$/.test(text)) return undefined;
  return Number(text) <= max ? Number(text) : undefined;
}

const app = express();

// Your job: here one that logs `count` steps, `delayMs` apart, until it is cancelled.
app.post("/jobs", (req, res) => {
  const count = wholeNumber(req.query.count, 3, 10_000);
  const delayMs = wholeNumber(req.query.delayMs, 0, 60_000);
  if (count === undefined || delayMs === undefined) {
    res.status(400).json({
      error: "count must be a whole number up to 10000, delayMs up to 60000",
    });
    return;
  }
  const logger = new JobLogger();
  // Not awaited: the job goes on after the answer.
  logger.run(async (log) => {
    for (let step = 1; step <= count; step++) {
      await sleep(delayMs, undefined, { signal: log.signal });
      log.log(`step ${step} of ${count}`, step === count ? "success" : "info");
    }
  });
  res.json({ log_job_id: logger.jobId });
});

app.use(toNodeHandler(logs));

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
