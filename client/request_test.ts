/** The one request helper of the browser side, over real HTTP. */
import assert from "node:assert/strict";
import { serve } from "../tests/support/serve.ts";
import { reason, send } from "./request.ts";

Deno.test("send: the options' headers (an object, or a function called for every request), then the caller's", async () => {
  const seen: Headers[] = [];
  await using server = serve((request) => {
    seen.push(new Headers(request.headers));
    return new Response("ok");
  });
  await (await send(
    server.url,
    { headers: { Authorization: "Bearer a", Accept: "text/html" } },
    {},
    (h) => {
      h.set("Accept", "application/json");
    },
  )).text();
  let token = 0;
  const options = {
    headers: () => Promise.resolve({ Authorization: `Bearer ${++token}` }),
  };
  await (await send(server.url, options)).text();
  await (await send(server.url, options)).text();
  assert.equal(seen[0].get("Authorization"), "Bearer a");
  assert.equal(seen[0].get("Accept"), "application/json", "the caller's header wins");
  assert.deepEqual(seen.slice(1).map((h) => h.get("Authorization")), ["Bearer 1", "Bearer 2"]);
});

Deno.test("send: a custom fetch gets the url, the init, credentials and no-store", async () => {
  await using server = serve((request) => new Response(request.method));
  const inits: RequestInit[] = [];
  const response = await send(`${server.url}/x`, {
    credentials: "include",
    fetch: (url, init) => {
      inits.push(init);
      return fetch(url, init);
    },
  }, { method: "POST" });
  assert.equal(await response.text(), "POST");
  assert.equal(inits[0].credentials, "include");
  assert.equal(inits[0].cache, "no-store");
  assert.equal(inits[0].method, "POST");
});

Deno.test("send: a server that cannot be reached is an error naming the url and the cause", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/log/a/result`;
  listener.close();
  await assert.rejects(send(url, {}), (error: Error) => {
    assert.match(
      error.message,
      /^http:\/\/127\.0\.0\.1:\d+\/log\/a\/result could not be reached: ./,
    );
    return true;
  });
  await assert.rejects(
    send("/log/a", { fetch: () => Promise.reject("offline") }),
    { message: "/log/a could not be reached: offline" },
  );
});

Deno.test("reason: the { error } of a JSON answer, else nothing", async () => {
  await using server = serve((request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/json") return Response.json({ error: "unknown job x" }, { status: 404 });
    if (pathname === "/null") return Response.json(null, { status: 500 });
    if (pathname === "/object") return Response.json({ error: { code: 1 } }, { status: 500 });
    return new Response("<p>oops</p>", { status: 502 });
  });
  const of = async (path: string) => reason(await fetch(server.url + path));
  assert.equal(await of("/json"), ": unknown job x");
  assert.equal(await of("/null"), "");
  assert.equal(await of("/object"), "");
  assert.equal(await of("/html"), "");
});
