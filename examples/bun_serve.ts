/// <reference types="bun-types" />
/**
 * Bun: `Bun.serve` with the log handler. Run it with `bun run bun_serve.ts`
 * (after `bun add streamator`), with `demo_job.ts` beside it.
 *
 * Bun closes a connection after `idleTimeout` seconds without traffic (10 by
 * default). The handler's heartbeat (a `: ping` comment every `heartbeatMs`
 * idle ms, 5,000 by default) keeps streams open; keep it below the idle timeout.
 */
import { createLogHandler, JobLogger } from "../mod.ts";
import { startJob } from "./demo_job.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  idleTimeout: 10, // seconds, Bun's default: keep heartbeatMs well below it
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/jobs") {
      return startJob(request, () => new JobLogger()).response;
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
});
console.log(`Listening on http://127.0.0.1:${server.port}/`);
