/**
 * Serves the Next.js route handlers of `examples/nextjs/app/` the way the app
 * router calls them: the path picks the route file, the method picks its
 * export (HEAD falls back to GET, a missing one is a 405 with `Allow`), and
 * the export gets the Web `Request`. Next.js itself is not installed here (its
 * size and build time do not fit CI); the route files are exactly what a
 * Next.js app would hold.
 */
import * as jobsRoute from "../../../examples/nextjs/app/jobs/route.ts";
import * as logRoute from "../../../examples/nextjs/app/log/[...path]/route.ts";

type Route = Record<string, unknown>;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFor(pathname: string): Route | undefined {
  if (pathname === "/jobs") return jobsRoute;
  if (/^\/log\/.+/.test(pathname)) return logRoute;
  return undefined;
}

async function dispatch(route: Route, request: Request): Promise<Response> {
  const exported = METHODS.filter((m) => typeof route[m] === "function");
  if (exported.includes("GET") && !exported.includes("HEAD")) exported.push("HEAD");
  const handler = route[request.method] ?? (request.method === "HEAD" ? route.GET : undefined);
  if (typeof handler !== "function") {
    return new Response(null, { status: 405, headers: { Allow: exported.join(", ") } });
  }
  const response: Response = await handler(request, { params: Promise.resolve({}) });
  if (request.method !== "HEAD") return response;
  await response.body?.cancel();
  return new Response(null, { status: response.status, headers: response.headers });
}

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 3000),
  onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
}, (request) => {
  const route = routeFor(new URL(request.url).pathname);
  return route ? dispatch(route, request) : new Response("not found", { status: 404 });
});
