import { createLogHandler, JobLogger } from "../mod.ts";

const logs = createLogHandler({ prefix: "/log" });

/** The job: fetches each page (a cancel aborts the fetch under way) and returns a summary. */
async function measurePages(log: JobLogger, urls: string[]) {
  const pages = [];
  for (const url of urls) {
    log.log(`Fetching ${url}`);
    const response = await fetch(url, { signal: log.signal });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    pages.push({ url, bytes: (await response.arrayBuffer()).byteLength });
    log.emit("page_loaded", { url });
  }
  log.log(`Measured ${pages.length} pages`, "success");
  return { pages }; // the job's result
}

export async function app(request: Request): Promise<Response> {
  if (request.method === "POST" && new URL(request.url).pathname === "/jobs") {
    const body = await request.json().catch(() => null);
    const urls = body?.urls;
    if (!Array.isArray(urls) || !urls.every((url) => typeof url === "string")) {
      return Response.json({ error: "urls must be a list of URLs" }, { status: 400 });
    }
    const logger = new JobLogger();
    // Not awaited: ends "ok" with the result, "error" with what it threw, or "cancelled".
    logger.run((log) => measurePages(log, urls));
    return Response.json({ jobId: logger.jobId }, { status: 201 });
  }
  return (await logs(request)) ?? new Response("not found", { status: 404 });
}

if (import.meta.main) Deno.serve({ hostname: "127.0.0.1", port: 8000 }, app);
