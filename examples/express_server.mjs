/**
 * Express: the log handler behind an Express app. Run it with
 * `node express_server.mjs` (after `npm install streamator express`).
 *
 * Express speaks Node's `req`/`res`, the handler Web `Request`/`Response`:
 * `toRequest` builds the Request, with a `signal` that aborts when the client
 * goes away (so a closed tab stops its stream at once), and `send` streams
 * the Response back as it is produced, never buffered.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import express from "express";
import { createLogHandler, JobLogger } from "streamator";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

/** Node's request as a Web `Request` whose signal aborts when the client disconnects. */
function toRequest(req, res) {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of [value].flat()) if (one !== undefined) headers.append(name, one);
  }
  return new Request(new URL(req.originalUrl, `http://${req.headers.host}`), {
    method: req.method,
    headers,
    signal: controller.signal,
  });
}

/** Writes a Web `Response` to Node's `res`, streaming its body. */
async function send(response, res) {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.flushHeaders();
  if (response.body === null) return res.end();
  // A client that goes away ends the pipeline, which cancels the body.
  await pipeline(Readable.fromWeb(response.body), res).catch(() => {});
}

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

app.use(async (req, res, next) => {
  const response = await logs(toRequest(req, res));
  if (response === null) return next();
  await send(response, res);
});

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}/`);
});
