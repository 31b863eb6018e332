/**
 * The stream frames each batch once for every subscriber at the same cursor;
 * these tests check that sharing never mixes up what a subscriber receives.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

const messages = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.event === "log").map((e) => e.message);

Deno.test("many subscribers of one job each receive every entry once, in order", async () => {
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store }));
  const logger = new JobLogger({ store });
  const url = `${server.url}/log/${logger.jobId}/stream`;
  const clients = await Promise.all(Array.from({ length: 5 }, () => SseClient.open(url)));
  try {
    for (let i = 0; i < 300; i++) logger.log(`line ${i}`);
    await logger.close();
    const expected = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    for (const client of clients) assert.deepEqual(messages(await client.readToEnd()), expected);
  } finally {
    for (const client of clients) await client.cancel();
  }
});

Deno.test("two stores with the same job id and entry ids stream their own entries", async () => {
  const a = new MemoryStore();
  const b = new MemoryStore();
  await using serverA = serve(createLogHandler({ store: a }));
  await using serverB = serve(createLogHandler({ store: b }));
  const loggerA = new JobLogger({ store: a, jobId: "same-job" });
  const loggerB = new JobLogger({ store: b, jobId: "same-job" });
  loggerA.log("from a");
  loggerB.log("from b");
  await loggerA.close();
  await loggerB.close();
  await using clientA = await SseClient.open(`${serverA.url}/log/same-job/stream`);
  assert.deepEqual(messages(await clientA.readToEnd()), ["from a"]);
  await using clientB = await SseClient.open(`${serverB.url}/log/same-job/stream`);
  assert.deepEqual(messages(await clientB.readToEnd()), ["from b"]);
});
