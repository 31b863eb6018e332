/** Serves the Hono example app on Node through `@hono/node-server`. */
import { serve } from "@hono/node-server";
import { createApp } from "../../../examples/hono_app.ts";

const app = createApp({ heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000) });
serve(
  { fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT ?? 3000) },
  (info) => console.log(`Listening on http://127.0.0.1:${info.port}/`),
);
