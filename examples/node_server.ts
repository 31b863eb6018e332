/**
 * Node 20+: the log handler on `node:http`, through `toNodeHandler` from
 * `streamator/node`, which turns each Node request into a Web `Request`
 * (whose `signal` aborts when the client goes away) and streams the
 * `Response` back with backpressure. Run it with `npx tsx node_server.ts`
 * (after `npm install streamator tsx`), with `demo_job.ts` beside it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLogHandler, JobLogger } from "../mod.ts";
import { toNodeHandler } from "../node/mod.ts";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

// Your routes first; `null` from the log handler becomes a 404.
const server = http.createServer(toNodeHandler((request) => {
  const { pathname } = new URL(request.url);
  if (request.method === "POST" && pathname === "/jobs") {
    return startJob(request, () => new JobLogger()).response;
  }
  return logs(request);
}));

server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Listening on http://127.0.0.1:${port}/`);
});
