/**
 * Express: the log handler behind an Express app. Run it with
 * `node express_server.mjs` (after `npm install streamator express`).
 *
 * `toNodeHandler` (from `streamator/node`) makes the log handler an Express
 * middleware: it answers the log routes, streaming each response with
 * backpressure and stopping it when the client goes away, and calls `next()`
 * for every other path.
 */
import express from "express";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

const app = express();

// Your job: here one that logs `count` steps, `delayMs` apart.
app.post("/jobs", (req, res) => {
  const count = Math.min(Number(req.query.count ?? 3) || 0, 1_000);
  const delayMs = Math.min(Number(req.query.delayMs ?? 500) || 0, 60_000);
  const logger = new JobLogger();
  (async () => {
    try {
      for (let i = 1; i <= count; i++) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        logger.log(`step ${i} of ${count}`, i === count ? "success" : "info");
      }
    } finally {
      await logger.close();
    }
  })();
  res.json({ log_job_id: logger.jobId });
});

app.use(toNodeHandler(logs));

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
