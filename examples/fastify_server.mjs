/**
 * Fastify: the log handler as a raw Fastify route. Run it with
 * `node fastify_server.mjs` (after `npm install streamator fastify`).
 *
 * `reply.hijack()` tells Fastify that the route writes `reply.raw` itself:
 * `toNodeHandler` streams the log handler's response there, with
 * backpressure, and stops it when the client goes away. Paths outside
 * `/log/` stay with Fastify's own routes and its 404.
 *
 * The job writes structured events, `logger.emit("page", { page, of })`,
 * for the browser's `makeFormatEvent` to label, and a last line with level
 * "success".
 */
import Fastify from "fastify";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";

const nodeLogs = toNodeHandler(
  createLogHandler({ prefix: "/log", heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000) }),
);

const fastify = Fastify();

fastify.all("/log/*", (request, reply) => {
  reply.hijack();
  nodeLogs(request.raw, reply.raw);
});

// Your job: here one that reads `pages` pages, `delayMs` apart.
async function readPages(logger, pages, delayMs) {
  for (let page = 1; page <= pages; page++) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    logger.emit("page", { page, of: pages });
  }
  logger.log(`read ${pages} pages`, "success");
}

// Fastify checks the query against this schema: anything else is a 400 naming the field.
const jobQuery = {
  type: "object",
  properties: {
    count: { type: "integer", minimum: 0, maximum: 10_000, default: 3 },
    delayMs: { type: "integer", minimum: 0, maximum: 60_000, default: 0 },
  },
};

fastify.post("/jobs", { schema: { querystring: jobQuery } }, (request) => {
  const logger = new JobLogger();
  readPages(logger, request.query.count, request.query.delayMs)
    .then(() => logger.close(), (error) => logger.fail(error));
  return { log_job_id: logger.jobId };
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`Listening on http://127.0.0.1:${fastify.server.address().port}/`);
