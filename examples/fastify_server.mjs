/**
 * Fastify: the log handler as a raw Fastify route. Run it with
 * `npx tsx fastify_server.mjs` (after `npm install streamator fastify tsx`),
 * with `demo_job.ts` beside it.
 *
 * `reply.hijack()` tells Fastify that the route writes `reply.raw` itself:
 * `toNodeHandler` streams the log handler's response there, with
 * backpressure, and stops it when the client goes away. Paths outside
 * `/log/` stay with Fastify's own routes and its 404.
 */
import Fastify from "fastify";
import { createLogHandler, JobLogger } from "streamator";
import { toNodeHandler } from "streamator/node";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});
const nodeLogs = toNodeHandler(logs);

const fastify = Fastify();

// Your job (demo_job.ts), a Web handler too, answered through toNodeHandler like the log routes.
const nodeJobs = toNodeHandler((request) => startJob(request, () => new JobLogger()).response);
fastify.post("/jobs", (request, reply) => {
  reply.hijack();
  nodeJobs(request.raw, reply.raw);
});

fastify.all("/log/*", (request, reply) => {
  reply.hijack();
  nodeLogs(request.raw, reply.raw);
});

await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`Listening on http://127.0.0.1:${fastify.server.address().port}/`);
