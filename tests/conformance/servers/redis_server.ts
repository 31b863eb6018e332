/**
 * The conformance server on the Redis store, for Deno, Node and Bun alike:
 * the demo job writes through a `RedisStore` on `REDIS_URL` and the handler
 * reads through another one (as a web process and a worker would; `POST /jobs`
 * answers once the job exists in Redis), served by
 * `Deno.serve`, `Bun.serve` or `@hono/node-server`, whichever runtime runs it.
 */
import { createLogHandler, JobLogger } from "../../../mod.ts";
import { RedisStore } from "../../../redis/mod.ts";
import { startJob } from "../../../examples/demo_job.ts";

declare const process: { env: Record<string, string | undefined> };
const env = (name: string) => process.env[name];
const url = env("REDIS_URL") ?? "redis://127.0.0.1:6379";

const writer = new RedisStore({ url, leaseMs: 1_000 });
const reader = new RedisStore({ url, leaseMs: 1_000 });
const logs = createLogHandler({
  prefix: "/log",
  store: reader,
  heartbeatMs: Number(env("HEARTBEAT_MS") ?? 5_000),
});

async function fetchHandler(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (request.method === "POST" && pathname === "/jobs") {
    let logger: JobLogger | undefined;
    const { response } = startJob(request, () => logger = new JobLogger({ store: writer }));
    // The id is handed out once the job exists in Redis: a reader in any process finds it.
    await logger?.flush();
    return response;
  }
  return (await logs(request)) ?? new Response("not found", { status: 404 });
}

const port = Number(env("PORT") ?? 3000);
const runtime = globalThis as {
  Deno?: {
    serve(
      options: { hostname: string; port: number; onListen(addr: { port: number }): void },
      handler: typeof fetchHandler,
    ): unknown;
  };
  Bun?: {
    serve(options: { hostname: string; port: number; fetch: typeof fetchHandler }): {
      port: number;
    };
  };
};
if (runtime.Bun !== undefined) {
  const server = runtime.Bun.serve({ hostname: "127.0.0.1", port, fetch: fetchHandler });
  console.log(`Listening on http://127.0.0.1:${server.port}/`);
} else if (runtime.Deno !== undefined) {
  runtime.Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (addr) => console.log(`Listening on http://127.0.0.1:${addr.port}/`),
  }, fetchHandler);
} else {
  const { serve } = await import("@hono/node-server");
  serve(
    { hostname: "127.0.0.1", port, fetch: fetchHandler },
    (info) => console.log(`Listening on http://127.0.0.1:${info.port}/`),
  );
}
