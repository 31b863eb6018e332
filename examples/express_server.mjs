/**
 * Express: the log handler behind an Express app. Run it with
 * `npx tsx express_server.mjs` (after `npm install streamator express tsx`),
 * with `demo_job.ts` beside it.
 *
 * `toNodeHandler` (from `streamator/node`) makes the log handler an Express
 * middleware: it answers the log routes, streaming each response with
 * backpressure and stopping it when the client goes away, and calls `next()`
 * for every other path.
 */
import express from "express";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

const app = express();

// Your job (demo_job.ts), a Web handler too: toNodeHandler makes it an Express route.
app.post("/jobs", toNodeHandler((request) => startJob(request, () => new JobLogger()).response));

app.use(toNodeHandler(logs));

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
