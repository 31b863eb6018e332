// The server the npm smoke tests read from, copied beside each of them into its scratch project:
// @hono/node-server on a free loopback port, serving the packed `createLogHandler`'s routes and
// GET /start, which runs `job` with a new JobLogger and answers `{ log_job_id }` at once.
import { serve } from "@hono/node-server";
import { createLogHandler, JobLogger } from "streamator";

/** Starts the server once it listens: its base URL, and `close()`. */
export async function startJobServer(job, handlerOptions = {}) {
  const logs = createLogHandler({ prefix: "/log", ...handlerOptions });
  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      if (new URL(request.url).pathname === "/start") {
        const logger = new JobLogger();
        job(logger);
        return Response.json({ log_job_id: logger.jobId });
      }
      return (await logs(request)) ??
        new Response("not found", { status: 404 });
    },
  });
  await new Promise((resolve) => server.once("listening", resolve));
  const close = () => {
    server.closeAllConnections(); // a stream the client left open ends too
    server.close();
  };
  return { base: `http://127.0.0.1:${server.address().port}`, close };
}
