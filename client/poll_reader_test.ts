/** Poll answers over real HTTP: this project's snapshot, the plain { logs } format, and bodies that cannot be read. */
import assert from "node:assert/strict";
import { serve } from "../tests/support/serve.ts";
import { readPoll } from "./poll_reader.ts";
import type { Failure } from "./response_check.ts";

const BODIES: Record<string, () => Response> = {
  "/snapshot": () =>
    Response.json({
      logs: [{ message: "a" }],
      next: 8,
      missed: 3,
      done: true,
      status: "error",
      message: "quota",
    }),
  "/ending": () =>
    Response.json({ logs: [{ message: "a" }, { event: "done", status: "cancelled" }] }),
  "/running": () => Response.json({ logs: ["plain text", { message: "b" }] }),
  "/invalid": () => new Response("{not json", { headers: { "Content-Type": "application/json" } }),
  "/nologs": () => Response.json({ items: [] }),
};

Deno.test("readPoll: the entries, the done event (last entry or done: true), next and missed", async () => {
  await using server = serve((request) => BODIES[new URL(request.url).pathname]());
  const read = async (path: string) => readPoll(await fetch(server.url + path), server.url + path);
  const snapshot = await read("/snapshot");
  assert.deepEqual(snapshot.logs, [{ message: "a" }]);
  assert.deepEqual(snapshot.end, { event: "done", status: "error", message: "quota" });
  assert.equal(snapshot.next, 8);
  assert.equal(snapshot.missed, 3);
  const ending = await read("/ending");
  assert.deepEqual(ending.logs, [{ message: "a" }], "the done entry is not an entry");
  assert.deepEqual(ending.end, { event: "done", status: "cancelled" });
  const running = await read("/running");
  assert.deepEqual(running.logs, ["plain text", { message: "b" }]);
  assert.equal(running.end, false);
  assert.equal(running.next, undefined);
});

Deno.test("readPoll: a whole body that is not JSON, or has no logs, is not retried and names the url; a cut one is retried, naming it too", async () => {
  await using server = serve((request) => BODIES[new URL(request.url).pathname]());
  const fails = async (path: string) => {
    const url = server.url + path;
    try {
      await readPoll(await fetch(url), url);
    } catch (e) {
      return e as Failure;
    }
    assert.fail(`${path} was read`);
  };
  const invalid = await fails("/invalid");
  assert.equal(invalid.message, `${server.url}/invalid answered invalid JSON`);
  assert.equal(invalid.retryable, false);
  const noLogs = await fails("/nologs");
  assert.equal(noLogs.message, `${server.url}/nologs answered JSON without a "logs" array`);
  assert.equal(noLogs.retryable, false);
  // A connection cut mid-body: a server that promises 100 bytes, sends 9, and closes.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const cutting = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    await conn.write(new TextEncoder().encode(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"logs":[',
    ));
    conn.close();
  })();
  const url = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/cut`;
  const cut = await readPoll(await fetch(url), url).then(
    () => assert.fail("read"),
    (e: Failure) => e,
  );
  await cutting;
  listener.close();
  assert.equal(cut.retryable, true, `a cut body is retried: ${cut.message}`);
  assert.match(
    cut.message,
    new RegExp(`^${url} dropped the connection while sending the log \\(.+\\)$`),
  );
});
