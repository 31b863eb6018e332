/**
 * Hono: the log handler as a route. `c.req.raw` is the Web `Request`; the
 * handler's `Response` is returned as it is, streams included. The app runs
 * on any runtime Hono runs on.
 */
import { Hono } from "hono";
import { createLogHandler, JobLogger, type LogHandlerOptions } from "../mod.ts";
import { startJob } from "./demo_job.ts";

export function createApp(options: LogHandlerOptions = {}): Hono {
  const logs = createLogHandler({ prefix: "/log", ...options });
  const app = new Hono();
  app.post("/jobs", (c) => startJob(c.req.raw, () => new JobLogger()).response);
  app.all("/log/*", async (c) => (await logs(c.req.raw)) ?? c.notFound());
  return app;
}
