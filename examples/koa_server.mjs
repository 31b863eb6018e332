/**
 * Koa: the log handler as a Koa middleware. Run it with
 * `node koa_server.mjs` (after `npm install streamator koa`).
 *
 * Koa writes the response itself after its middleware unless `ctx.respond` is
 * false: the log middleware sets it to false while `toNodeHandler` streams to
 * `ctx.res`, and back to true before it passes any other path on to the next
 * middleware (an error goes to Koa's error handling).
 *
 * The job reports how far it is with `logger.progress(done, total, label)`,
 * which the panels show as a progress bar, and logs one line at the end.
 */
import Koa from "koa";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});
const nodeLogs = toNodeHandler(logs);

const app = new Koa();

app.use((ctx, next) => {
  ctx.respond = false;
  return nodeLogs(ctx.req, ctx.res, (error) => {
    ctx.respond = true;
    if (error) throw error;
    return next();
  });
});

// Your job: here one that counts `total` steps, `delayMs` apart, as a progress bar.
async function countSteps(logger, total, delayMs) {
  try {
    for (let done = 1; done <= total; done++) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      logger.progress(done, total, "steps");
    }
    logger.log(`counted to ${total}`, "success");
  } finally {
    await logger.close();
  }
}

/** `text` as an integer from 0 to `max`, written plainly ("12", not "012" or "1e1"); else NaN. */
function parseCount(text, max) {
  const value = Number(text);
  return Number.isInteger(value) && String(value) === text && value >= 0 && value <= max
    ? value
    : NaN;
}

app.use((ctx, next) => {
  if (ctx.method !== "POST" || ctx.path !== "/jobs") return next();
  const count = parseCount(ctx.query.count ?? "3", 10_000);
  const delayMs = parseCount(ctx.query.delayMs ?? "0", 60_000);
  if (Number.isNaN(count) || Number.isNaN(delayMs)) {
    ctx.status = 400;
    ctx.body = { error: "count must be an integer from 0 to 10000 and delayMs from 0 to 60000" };
    return;
  }
  const logger = new JobLogger();
  countSteps(logger, count, delayMs);
  ctx.body = { log_job_id: logger.jobId };
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
