/**
 * Test support for the Worker test scripts: `/raw/<job id>/<route>` passes a
 * request straight to the job's Durable Object, so a test can speak the
 * object's own write and read routes (as a writer of another version would).
 */
import type { JobLogNamespace } from "../../cloudflare/mod.ts";

/** The object's answer to a `/raw/…` request, or `undefined` for any other path. */
export async function rawObjectRoute(
  request: Request,
  url: URL,
  namespace: JobLogNamespace,
): Promise<Response | undefined> {
  const raw = url.pathname.match(/^\/raw\/([\w-]+)(\/\w+)$/);
  if (raw === null) return undefined;
  const stub = namespace.get(namespace.idFromName(raw[1]));
  return await stub.fetch(`https://job-log${raw[2]}${url.search}`, {
    method: request.method,
    body: request.method === "GET" ? undefined : await request.text(),
  });
}
