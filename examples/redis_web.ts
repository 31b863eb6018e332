/**
 * The web process: streams the logs of jobs that workers write to Redis.
 * Run it with `deno run --allow-net --allow-env redis_web.ts` with `REDIS_URL` set; open
 * `/log/JOB_ID/stream` (or point `useLogStream` at it).
 */
import { createLogHandler } from "../mod.ts";
import { sharedRedisStore } from "../redis/mod.ts";

const url = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
const logs = createLogHandler({ prefix: "/log", store: sharedRedisStore({ url }) });

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? 8000),
  onListen: ({ hostname, port }) => console.log(`Listening on http://${hostname}:${port}/`),
}, async (request) => (await logs(request)) ?? new Response("not found", { status: 404 }));
