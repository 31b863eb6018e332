/**
 * Koa: the log handler as a Koa middleware. Run it with
 * `npx tsx koa_server.mjs` (after `npm install streamator koa tsx`), with
 * `demo_job.ts` beside it.
 *
 * Koa writes the response itself after its middleware unless `ctx.respond` is
 * false: the log middleware sets it to false while `toNodeHandler` streams to
 * `ctx.res`, and back to true before it passes any other path on to the next
 * middleware (an error goes to Koa's error handling).
 */
import Koa from "koa";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";
import { startJob } from "./demo_job.ts";

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

// Your job (demo_job.ts), a Web handler too, answered through toNodeHandler like the log routes.
const nodeJobs = toNodeHandler((request) => startJob(request, () => new JobLogger()).response);
app.use((ctx, next) => {
  if (ctx.method !== "POST" || ctx.path !== "/jobs") return next();
  ctx.respond = false;
  return nodeJobs(ctx.req, ctx.res);
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
