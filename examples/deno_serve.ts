/**
 * Deno: `Deno.serve` with the log handler. Run it with
 * `deno run --allow-net=127.0.0.1 --allow-env deno_serve.ts` (after
 * `deno add jsr:@streamator/core`), with `demo_job.ts` beside it.
 */
import { createLogHandler, JobLogger } from "@streamator/core";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(Deno.env.get("HEARTBEAT_MS") ?? 5_000),
});

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8000),
  onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
}, async (request) => {
  const { pathname } = new URL(request.url);
  if (request.method === "POST" && pathname === "/jobs") {
    return startJob(request, () => new JobLogger()).response;
  }
  return (await logs(request)) ?? new Response("not found", { status: 404 });
});
