/** The handler's routes, snapshot and refusals over real HTTP. */
import assert from "node:assert/strict";
import {
  createLogHandler,
  JobLogger,
  makeSnapshotResponse,
  makeStreamResponse,
  MemoryStore,
} from "../mod.ts";
import { setup } from "./support/log_job.ts";
import { serve } from "./support/serve.ts";

Deno.test("paths that are not the handler's own give null, so apps can compose it", async () => {
  const handler = createLogHandler({ prefix: "/api/log/" });
  for (
    const path of [
      "/",
      "/log/x",
      "/api/logs/x",
      "/api/log/x/stream/more",
      "/api/log/x/tail",
      "/api/log/x/",
      "/api/log/x/constructor",
    ]
  ) {
    assert.equal(await handler(new Request(`http://127.0.0.1${path}`)), null, path);
  }
  const response = await handler(new Request("http://127.0.0.1/api/log/unknown-job"));
  assert.equal(response?.status, 404);
});

Deno.test("unknown or malformed job ids are 404 with a JSON error that echoes nothing", async () => {
  const { server, logger } = setup();
  await using _ = server;
  for (
    const path of [
      "/log/no-such-job",
      "/log/no-such-job/stream",
      "/log/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      "/log/%3Cscript%3E/stream",
      "/log/" + "a".repeat(129),
      "/log/",
    ]
  ) {
    const response = await fetch(server.url + path);
    assert.equal(response.status, 404, path);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await response.json(), { error: "unknown job" });
  }
  await logger.close();
});

Deno.test("a malformed after or Last-Event-ID is 400 with a message", async () => {
  const { server, logger } = setup();
  await using _ = server;
  const base = `${server.url}/log/${logger.jobId}`;
  const cases: [string, HeadersInit, string][] = [
    [`${base}?after=-1`, {}, "after must be a non-negative integer entry id"],
    [`${base}?after=1.5`, {}, "after must be a non-negative integer entry id"],
    [`${base}?after=abc`, {}, "after must be a non-negative integer entry id"],
    [`${base}?after=99999999999999999999`, {}, "after must be a non-negative integer entry id"],
    [`${base}?from=x`, {}, "from must be a non-negative integer entry id"],
    [
      `${base}/stream`,
      { "Last-Event-ID": "x1" },
      "Last-Event-ID must be a non-negative integer entry id",
    ],
    [`${base}/stream?lastEventId=-5`, {}, "lastEventId must be a non-negative integer entry id"],
  ];
  for (const [url, headers, error] of cases) {
    const response = await fetch(url, { headers });
    assert.equal(response.status, 400, url);
    assert.deepEqual(await response.json(), { error });
  }
  await logger.close();
});

Deno.test("other methods are 405 with Allow", async () => {
  const { server, logger } = setup();
  await using _ = server;
  for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const response = await fetch(`${server.url}/log/${logger.jobId}/stream`, { method });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "GET, HEAD");
    assert.match((await response.json()).error, /method not allowed/);
  }
  const head = await fetch(`${server.url}/log/${logger.jobId}`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-type"), "application/json; charset=utf-8");
  await logger.close();
});

Deno.test("authorize refusing, or throwing, is 403; allowing serves the job", async () => {
  const seen: string[] = [];
  const { server, logger } = setup({
    authorize(request, jobId) {
      seen.push(jobId);
      const token = request.headers.get("Authorization");
      if (token === "Bearer boom") throw new Error("auth backend down");
      return token === "Bearer good";
    },
  });
  await using _ = server;
  const url = `${server.url}/log/${logger.jobId}`;
  assert.equal((await fetch(url)).status, 403);
  const error = console.error;
  console.error = () => {};
  try {
    const thrown = await fetch(url, { headers: { Authorization: "Bearer boom" } });
    assert.equal(thrown.status, 403);
    assert.deepEqual(await thrown.json(), { error: "forbidden" });
  } finally {
    console.error = error;
  }
  const ok = await fetch(url, { headers: { Authorization: "Bearer good" } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.deepEqual(seen, [logger.jobId, logger.jobId, logger.jobId]);
  await logger.close();
});

Deno.test("authorize answering a Response: sent as it is (a 401 with WWW-Authenticate, a redirect), with the CORS headers", async () => {
  const { server, logger } = setup({
    cors: ["https://app.example"],
    authorize(request, _jobId, action) {
      const token = request.headers.get("Authorization");
      if (token === "Bearer fresh") return true;
      if (token === null && action === "read") {
        return Response.redirect("https://app.example/login");
      }
      if (token === "Bearer stale") {
        return new Response(JSON.stringify({ error: "token expired" }), {
          status: 401,
          headers: {
            "Content-Type": "application/json",
            "WWW-Authenticate": 'Bearer error="invalid_token"',
          },
        });
      }
      return false;
    },
  });
  await using _ = server;
  const url = `${server.url}/log/${logger.jobId}`;
  const origin = { Origin: "https://app.example" };
  for (const path of ["", "/stream", "/result"]) {
    const stale = await fetch(url + path, {
      headers: { ...origin, Authorization: "Bearer stale" },
    });
    assert.equal(stale.status, 401);
    assert.equal(stale.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
    assert.equal(stale.headers.get("access-control-allow-origin"), "https://app.example");
    assert.deepEqual(await stale.json(), { error: "token expired" });
  }
  const login = await fetch(`${url}/stream`, { headers: origin, redirect: "manual" });
  assert.equal(login.status, 302);
  assert.equal(login.headers.get("location"), "https://app.example/login");
  assert.equal(login.headers.get("access-control-allow-origin"), "https://app.example");
  await login.body?.cancel();
  const cancel = await fetch(`${url}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 403);
  assert.deepEqual(await cancel.json(), { error: "forbidden" });
  const fresh = await fetch(url, { headers: { Authorization: "Bearer fresh" } });
  assert.equal(fresh.status, 200);
  await fresh.body?.cancel();
  await logger.close();
});

Deno.test("CORS is opt-in: allowed origins get the headers, and a preflight answer", async () => {
  const { server, logger } = setup({ cors: ["https://app.example"] });
  await using _ = server;
  const url = `${server.url}/log/${logger.jobId}`;
  const allowed = await fetch(url, { headers: { Origin: "https://app.example" } });
  assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example");
  assert.equal(allowed.headers.get("vary"), "Origin");
  await allowed.body?.cancel();
  const other = await fetch(url, { headers: { Origin: "https://evil.example" } });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  await other.body?.cancel();
  const preflight = await fetch(`${url}/stream`, {
    method: "OPTIONS",
    headers: { Origin: "https://app.example", "Access-Control-Request-Headers": "last-event-id" },
  });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Last-Event-ID/);

  const { server: closedServer, logger: other2 } = setup();
  await using _2 = closedServer;
  const plain = await fetch(`${closedServer.url}/log/${other2.jobId}`, {
    headers: { Origin: "https://app.example" },
  });
  assert.equal(plain.headers.get("access-control-allow-origin"), null);
  await plain.body?.cancel();
  await Promise.all([logger.close(), other2.close()]);
});

Deno.test("bad handler options are TypeErrors naming the option", () => {
  assert.throws(() => createLogHandler({ prefix: "log" }), /options.prefix must be a path/);
  // @ts-expect-error: not an origin
  assert.throws(() => createLogHandler({ cors: [1] }), /options.cors must be/);
  assert.throws(
    () => createLogHandler({ heartbeatMs: 0 }),
    /options.heartbeatMs must be a positive/,
  );
  assert.throws(() => createLogHandler({ retryMs: 1.5 }), /options.retryMs must be a non-negative/);
});

Deno.test("a store that fails answers 503, never 500", async () => {
  const broken = new MemoryStore();
  broken.read = () => Promise.reject(new Error("store down"));
  const server = serve(createLogHandler({ store: broken }));
  await using _ = server;
  for (const path of ["/log/any-job", "/log/any-job/stream"]) {
    const response = await fetch(server.url + path);
    assert.equal(response.status, 503, path);
    assert.match((await response.json()).error, /store is unavailable/);
  }
});

Deno.test("extra headers may be a Headers, a plain object or pairs", async () => {
  const store = new MemoryStore();
  const logger = new JobLogger({ store });
  await logger.close();
  for (
    const headers of [
      new Headers({ "X-Extra": "1" }),
      { "X-Extra": "1" },
      [["X-Extra", "1"]] as [string, string][],
    ]
  ) {
    const stream = await makeStreamResponse(logger.jobId, { store, headers });
    assert.equal(stream.headers.get("x-extra"), "1");
    assert.equal(stream.headers.get("content-type"), "text/event-stream; charset=utf-8");
    await stream.body?.cancel();
    const snapshot = await makeSnapshotResponse(logger.jobId, { store, headers });
    assert.equal(snapshot.headers.get("x-extra"), "1");
    await snapshot.body?.cancel();
  }
  await assert.rejects(
    () => makeSnapshotResponse(logger.jobId, { store, from: 1, after: 0 }),
    /pass options.from or options.after, not both/,
  );
});
