import assert from "node:assert/strict";
import { startDemoTask } from "../tests/support/demo_process.ts";
import { SseClient } from "../tests/support/sse_client.ts";
import { BASE_EVENT_LABELS } from "../client/format_event.ts";
import { parseJob, parsePort } from "./server.ts";

async function startJob(base: string, query: string) {
  const response = await fetch(new URL(`api/jobs?${query}`, base), { method: "POST" });
  const body = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return body as { jobId: string; stream: string; poll: string };
}

Deno.test("the demo serves the page, runs a job and streams it to the end", async () => {
  await using demo = await startDemoTask();
  const page = await fetch(demo.url);
  const html = await page.text();
  assert.match(html, /<div id="root">/);
  assert.match(html, /src="\/app\.js"/);
  const app = await fetch(new URL("app.js", demo.url));
  assert.match(app.headers.get("content-type")!, /javascript/);
  const js = await app.text();
  assert.ok(js.includes("streamator-log-entry"), "the bundle has LogPanel from react/");
  assert.match(await (await fetch(new URL("log.css", demo.url))).text(), /--streamator-bg/);

  const job = await startJob(demo.url, "kind=demo&delayMs=1");
  await using stream = await SseClient.open(new URL(job.stream, demo.url).href);
  const events = await stream.readToEnd(1_000, 10_000);
  assert.deepEqual(events.at(-1), { event: "done" });
  const levels = new Set(events.map((e) => e.level).filter(Boolean));
  assert.deepEqual([...levels].sort(), ["error", "info", "success", "warning"]);
  const labelled = new Set(events.map((e) => e.event).filter((e) => e !== "log" && e !== "done"));
  assert.ok(labelled.size >= 8, [...labelled].join());
  for (const name of labelled) {
    assert.ok(name as string in BASE_EVENT_LABELS, `${name} is labelled`);
  }
  assert.equal(events.at(-2)!.message, "Done");
});

Deno.test("the demo's burst and HTML jobs, over polling", async () => {
  await using demo = await startDemoTask();
  const burst = await startJob(demo.url, "kind=burst&n=3000");
  let from = 0;
  const messages: string[] = [];
  for (let i = 0; i < 200; i++) {
    const url = new URL(burst.poll, demo.url);
    url.searchParams.set("from", String(from));
    const body = await (await fetch(url)).json();
    const entries = body.logs.filter((e: { event: string }) => e.event !== "done");
    messages.push(...entries.map((e: { message: string }) => e.message));
    from = body.next;
    if (body.done) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(messages.length, 3_002);
  assert.match(messages[1], /^entry 1 of 3000/);
  assert.equal(messages.at(-1), "Burst done: 3000 entries");

  const html = await startJob(demo.url, "kind=html&delayMs=0");
  await using stream = await SseClient.open(new URL(html.stream, demo.url).href);
  const events = await stream.readToEnd(100, 10_000);
  assert.ok(events.some((e) => String(e.message).includes("<script>")));

  const bad = await fetch(new URL("api/jobs?kind=nope", demo.url), { method: "POST" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /kind must be one of demo, burst, html, slow, fail/);
});

Deno.test("the demo's jobs end with a result, an error, or cancelled on request", async () => {
  await using demo = await startDemoTask();
  const url = (path: string) => new URL(path, demo.url);

  const done = await startJob(demo.url, "kind=slow&n=3&delayMs=1");
  await using finished = await SseClient.open(url(done.stream).href);
  assert.deepEqual((await finished.readToEnd(100, 10_000)).at(-1), { event: "done" });
  const result = await fetch(url(`${done.poll}/result`));
  assert.equal(result.status, 200);
  assert.deepEqual(await result.json(), { ticks: 3 });

  const failing = await startJob(demo.url, "kind=fail&delayMs=1");
  await using failed = await SseClient.open(url(failing.stream).href);
  assert.deepEqual((await failed.readToEnd(100, 10_000)).at(-1), {
    event: "done",
    status: "error",
    message: "the review API refused the key (401)",
  });
  assert.equal((await fetch(url(`${failing.poll}/result`))).status, 204);

  const slow = await startJob(demo.url, "kind=slow&n=1000&delayMs=50");
  await using stream = await SseClient.open(url(slow.stream).href);
  await stream.take(2, 10_000);
  const cancel = await fetch(url(`${slow.poll}/cancel`), { method: "POST" });
  assert.equal(cancel.status, 202);
  assert.deepEqual(await cancel.json(), { cancelling: true });
  const rest = await stream.readToEnd(1_000, 10_000);
  assert.deepEqual(rest.at(-1), { event: "done", status: "cancelled" });
  assert.equal(rest.at(-2)?.message, "Cancel requested: stopping");
  assert.ok(rest.length < 100, `${rest.length} entries after the cancel`);
});

Deno.test("demo options: job kinds, sizes and ports are checked", () => {
  assert.deepEqual(parseJob(new URLSearchParams("kind=burst&n=100000")), {
    kind: "burst",
    options: { n: 100_000 },
  });
  assert.match(
    (parseJob(new URLSearchParams("kind=burst&n=100001")) as { error: string }).error,
    /n must/,
  );
  assert.match((parseJob(new URLSearchParams("delayMs=-1")) as { error: string }).error, /delayMs/);
  assert.equal(parsePort([], undefined), 8000);
  assert.equal(parsePort([], "9000"), 9000);
  assert.equal(parsePort(["--port", "0"], "9000"), 0);
  assert.equal(parsePort(["--port=1234"], undefined), 1234);
  assert.throws(() => parsePort(["--port", "http"], undefined), /--port \(or PORT\) must be/);
});
