/** What an answer means for the log stream: failures retried or not, each naming the cause. */
import assert from "node:assert/strict";
import { serve } from "../tests/support/serve.ts";
import { check, type Failure } from "./response_check.ts";

const html = { "Content-Type": "text/html" };
const ANSWERS: Record<string, () => Response> = {
  "/404": () => Response.json({ error: "unknown job x" }, { status: 404 }),
  "/401": () => new Response("no", { status: 401 }),
  "/408": () => new Response("slow", { status: 408 }),
  "/429": () => new Response("later", { status: 429, headers: { "Retry-After": "2" } }),
  "/500": () => new Response("oops", { status: 500 }),
  "/html": () => new Response("<p>app</p>", { headers: html }),
  "/none": () => new Response(new Uint8Array([1])),
  "/sse": () => new Response("", { headers: { "Content-Type": "text/event-stream" } }),
  "/json": () => Response.json({ logs: [] }),
  "/204": () => new Response(null, { status: 204 }),
};

async function failure(url: string, sse: boolean): Promise<Failure | Response> {
  const response = await fetch(url);
  return check(response, url, sse).catch(async (e: Failure) => {
    if (!response.bodyUsed) await response.body?.cancel();
    return e;
  });
}

Deno.test("check: 4xx and a wrong content type are not retried; 408, 429 and 5xx are; each names the url and the cause", async () => {
  await using server = serve((request) => ANSWERS[new URL(request.url).pathname]());
  const u = (path: string) => server.url + path;
  const expect: [string, boolean, RegExp, boolean, number?][] = [
    ["/404", true, /\/404 answered 404: unknown job x$/, false],
    ["/401", true, /\/401 answered 401$/, false],
    ["/408", true, /answered 408$/, true],
    ["/429", false, /answered 429$/, true, 2_000],
    ["/500", false, /answered 500$/, true],
    ["/html", true, /\/html answered text\/html, not text\/event-stream$/, false],
    ["/html", false, /\/html answered text\/html, not JSON$/, false],
    ["/none", false, /\/none answered no content type, not JSON$/, false],
    ["/json", true, /answered application\/json, not text\/event-stream$/, false],
  ];
  for (const [path, sse, message, retryable, wait] of expect) {
    const e = await failure(u(path), sse);
    assert.ok(e instanceof Error, `${path} (${sse ? "sse" : "poll"}) is a failure`);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(u(path)), e.message);
    assert.equal(e.retryable, retryable, `${path}: retryable`);
    assert.equal(e.wait, wait, `${path}: wait`);
  }
  for (
    const [path, sse] of [["/sse", true], ["/json", false], ["/204", true], [
      "/204",
      false,
    ]] as const
  ) {
    const response = await failure(u(path), sse);
    assert.ok(response instanceof Response, `${path} can be read`);
    await response.body?.cancel();
  }
});
