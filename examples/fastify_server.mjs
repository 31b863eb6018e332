/**
 * Fastify: the log handler as a raw Fastify route. Run it with
 * `node fastify_server.mjs` (after `npm install streamator fastify`).
 *
 * `reply.hijack()` tells Fastify that the route writes `reply.raw` itself:
 * `toNodeHandler` streams the log handler's response there, with
 * backpressure, and stops it when the client goes away. Paths outside
 * `/log/` stay with Fastify's own routes and its 404.
 */
import Fastify from "fastify";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});
const nodeLogs = toNodeHandler(logs);

const fastify = Fastify();

// Your job: here one that logs `count` steps, `delayMs` apart.
fastify.post("/jobs", (request) => {
  const count = Math.min(Number(request.query.count ?? 3) || 0, 1_000);
  const delayMs = Math.min(Number(request.query.delayMs ?? 500) || 0, 60_000);
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
  return { log_job_id: logger.jobId };
});

fastify.all("/log/*", (request, reply) => {
  reply.hijack();
  nodeLogs(request.raw, reply.raw);
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`Listening on http://127.0.0.1:${fastify.server.address().port}/`);
