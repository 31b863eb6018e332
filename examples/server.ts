import { createLogHandler, JobLogger } from "../mod.ts";

const logs = createLogHandler({ prefix: "/log" });

async function myJob(logger: JobLogger) {
  await using log = logger; // closed at the end, also if the job throws
  log.log("Starting…");
  for (const url of ["https://example.com/a", "https://example.com/b"]) {
    log.emit("page_loaded", { url });
    log.log(`Processed ${url}`, "success");
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname === "/start") {
      const logger = new JobLogger();
      myJob(logger);
      return Response.json({ log_job_id: logger.jobId });
    }
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
