/**
 * A log server run as its own process by the status-line test, so that the
 * test can stop it mid-job as a crash or a deploy would. It serves
 * `createLogHandler` (CORS open) over a `MemoryStore`, and `POST /start?n=N`
 * starts a job that logs N lines (default 1,200), one every 50 ms.
 *
 * Usage: deno run --allow-net=127.0.0.1 tests/e2e/log_server_process.ts [port]
 */
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";

const store = new MemoryStore();
const logs = createLogHandler({ store, cors: true, retryMs: 100, heartbeatMs: 1_000 });
const port = Number(Deno.args[0] ?? 0);

Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => console.log(`log server: http://127.0.0.1:${port}`),
}, async (request) => {
  const url = new URL(request.url);
  if (url.pathname === "/start" && request.method === "POST") {
    const logger = new JobLogger({ store });
    const lines = Number(url.searchParams.get("n") ?? 1_200);
    (async () => {
      for (let i = 0; i < lines && !logger.closed; i++) {
        logger.log(`tick ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await logger.close();
    })();
    return Response.json({ jobId: logger.jobId });
  }
  return (await logs(request)) ?? Response.json({ error: "not found" }, { status: 404 });
});
