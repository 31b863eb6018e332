/**
 * Koa: the log handler as a Koa middleware. Run it with
 * `node koa_server.mjs` (after `npm install streamator koa`).
 *
 * Koa writes the response itself after its middleware unless `ctx.respond` is
 * false: the log middleware sets it to false while `toNodeHandler` streams to
 * `ctx.res`, and back to true before it passes any other path on to the next
 * middleware (an error goes to Koa's error handling).
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

// Your job: here one that logs `count` steps, `delayMs` apart.
app.use((ctx, next) => {
  if (ctx.method !== "POST" || ctx.path !== "/jobs") return next();
  const count = Math.min(Number(ctx.query.count ?? 3) || 0, 1_000);
  const delayMs = Math.min(Number(ctx.query.delayMs ?? 500) || 0, 60_000);
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
  ctx.body = { log_job_id: logger.jobId };
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
