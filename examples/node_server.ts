/**
 * Node 20+: the log handler through `@hono/node-server`, which turns Node's
 * `http` requests into Web `Request`s (and a closed connection into an
 * aborted `request.signal`) and streams the `Response` back. Run it with
 * `npx tsx node_server.ts` (after `npm install streamator @hono/node-server
 * tsx`), with `demo_job.ts` beside it.
 */
import { serve } from "@hono/node-server";
import { createLogHandler, JobLogger } from "../mod.ts";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/jobs") {
      return startJob(request, () => new JobLogger()).response;
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
}, (info) => console.log(`Listening on http://127.0.0.1:${info.port}/`));
