/**
 * The Streamator demo: a React page (built from `react/` at startup) that
 * starts simulated jobs on this server and shows each one's live log in a
 * `LogPanel`, over SSE or polling.
 *
 * Run it with `deno task demo`; it prints the URL (default
 * http://127.0.0.1:8000/). `--port N` or the `PORT` variable picks another
 * port; `0` picks a free one.
 *
 * @module
 */
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { JOB_KINDS, type JobKind, type JobOptions, MAX_BURST, runJob } from "./jobs.ts";

/** Options of {@linkcode startDemo}. */
export interface DemoOptions {
  /** Port on 127.0.0.1; `0` for a free one. Default 8000. */
  port?: number;
}

/** A running demo; `await using` stops it. */
export interface Demo extends AsyncDisposable {
  url: string;
  server: Deno.HttpServer<Deno.NetAddr>;
}

const here = new URL(".", import.meta.url);
const root = new URL("..", here);

/** Bundles demo/app.tsx (and react/ with it) for the browser. */
async function bundleApp(): Promise<string> {
  const bundle = (Deno as unknown as { bundle?: DenoBundle }).bundle;
  if (typeof bundle !== "function") {
    throw new Error("the demo needs Deno.bundle: run it with `deno task demo` (--unstable-bundle)");
  }
  const result = await bundle({
    entrypoints: [new URL("app.tsx", here).href],
    platform: "browser",
    minify: true,
    write: false,
  });
  const file = result.outputFiles?.[0];
  if (!result.success || file === undefined) {
    throw new Error(`bundling the demo failed: ${JSON.stringify(result.errors)}`);
  }
  return file.text();
}

interface DenoBundle {
  (options: {
    entrypoints: string[];
    platform: "browser";
    minify: boolean;
    write: false;
  }): Promise<{ success: boolean; errors: unknown[]; outputFiles?: { text(): string }[] }>;
}

/** Starts the demo server. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const { port = 8000 } = options;
  const [app, html, css, logCss] = await Promise.all([
    bundleApp(),
    Deno.readTextFile(new URL("index.html", here)),
    Deno.readTextFile(new URL("styles.css", here)),
    Deno.readTextFile(new URL("react/log.css", root)),
  ]);
  // Room for a 100,000-entry burst and its first and last lines.
  const store = new MemoryStore({ maxEntries: 200_000 });
  const logs = createLogHandler({ prefix: "/log", store });
  const files: Record<string, [string, string]> = {
    "/": [html, "text/html; charset=utf-8"],
    "/app.js": [app, "text/javascript; charset=utf-8"],
    "/styles.css": [css, "text/css; charset=utf-8"],
    "/log.css": [logCss, "text/css; charset=utf-8"],
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/api/jobs") {
      if (request.method !== "POST") {
        return Response.json({ error: "method not allowed; use POST" }, {
          status: 405,
          headers: { Allow: "POST" },
        });
      }
      const parsed = parseJob(url.searchParams);
      if ("error" in parsed) return Response.json(parsed, { status: 400 });
      const logger = new JobLogger({ store });
      runJob(logger, parsed.kind, parsed.options);
      return Response.json({
        jobId: logger.jobId,
        kind: parsed.kind,
        stream: `/log/${logger.jobId}/stream`,
        poll: `/log/${logger.jobId}`,
      }, { status: 201 });
    }
    const file = files[url.pathname];
    if (file !== undefined && (request.method === "GET" || request.method === "HEAD")) {
      return new Response(request.method === "HEAD" ? null : file[0], {
        headers: { "Content-Type": file[1], "Cache-Control": "no-store" },
      });
    }
    return (await logs(request)) ?? Response.json({ error: "not found" }, { status: 404 });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handler);
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    server,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** Reads `kind`, `n` and `delayMs` from the query, or says which is wrong. */
export function parseJob(
  query: URLSearchParams,
): { kind: JobKind; options: JobOptions } | { error: string } {
  const kind = query.get("kind") ?? "demo";
  if (!(JOB_KINDS as readonly string[]).includes(kind)) {
    return { error: `kind must be one of ${JOB_KINDS.join(", ")}` };
  }
  const options: JobOptions = {};
  const n = query.get("n");
  if (n !== null) {
    const value = Number(n);
    if (!Number.isInteger(value) || value < 1 || value > MAX_BURST) {
      return { error: `n must be an integer from 1 to ${MAX_BURST}` };
    }
    options.n = value;
  }
  const delay = query.get("delayMs");
  if (delay !== null) {
    const value = Number(delay);
    if (!Number.isInteger(value) || value < 0 || value > 60_000) {
      return { error: "delayMs must be an integer from 0 to 60000" };
    }
    options.delayMs = value;
  }
  return { kind: kind as JobKind, options };
}

/** The port from `--port N`, `--port=N` or `PORT`; default 8000. */
export function parsePort(args: string[], env: string | undefined): number {
  let text: string | undefined = env;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--port") text = args[i + 1];
    else if (args[i].startsWith("--port=")) text = args[i].slice("--port=".length);
  }
  if (text === undefined || text === "") return 8000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new TypeError(`--port (or PORT) must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

if (import.meta.main) {
  let port: number;
  try {
    port = parsePort(Deno.args, Deno.env.get("PORT"));
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  const demo = await startDemo({ port });
  console.log(`Streamator demo: ${demo.url}`);
}
