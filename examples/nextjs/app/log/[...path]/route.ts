/**
 * Next.js (app router): `app/log/[...path]/route.ts` serves
 * `GET /log/{jobId}/stream` and `GET /log/{jobId}`. Next.js answers HEAD from
 * GET and 405 for methods the route does not export.
 *
 * The in-memory store lives in one server process: it works with `next start`
 * on one server; on serverless hosting, where requests land on different
 * instances, use the DynamoDB store.
 */
import { createLogHandler } from "../../../../../mod.ts";

const logs = createLogHandler({
  prefix: "/log",
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 5_000),
});

/** Never cache or prerender: every request reads the live log. */
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  return (await logs(request)) ?? Response.json({ error: "not found" }, { status: 404 });
}
