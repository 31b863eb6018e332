/**
 * A property test: random interleavings of logs, subscribes, reads, cuts and
 * resumes; every subscriber ends with every entry, in order, exactly once.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { createLogHandler, JobLogger, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { SseClient } from "./support/sse_client.ts";

type Op =
  | { op: "log"; count: number }
  | { op: "open"; sub: number }
  | { op: "read"; sub: number; count: number }
  | { op: "cut"; sub: number };

const SUBSCRIBERS = 3;
const sub = fc.integer({ min: 0, max: SUBSCRIBERS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("log" as const), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant("open" as const), sub }),
  fc.record({ op: fc.constant("read" as const), sub, count: fc.integer({ min: 1, max: 15 }) }),
  fc.record({ op: fc.constant("cut" as const), sub }),
);

interface Subscriber {
  client: SseClient | undefined;
  received: string[];
  lastEventId: string | undefined;
}

Deno.test("every subscriber sees every entry once, in order, whatever the cuts and resumes", async () => {
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store }));

  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
      const logger = new JobLogger({ store });
      const url = `${server.url}/log/${logger.jobId}/stream`;
      const logged: string[] = [];
      const subs: Subscriber[] = Array.from(
        { length: SUBSCRIBERS },
        () => ({ client: undefined, received: [], lastEventId: undefined }),
      );
      const collect = (s: Subscriber, events: Record<string, unknown>[]) => {
        for (const e of events) if (e.event === "log") s.received.push(e.message as string);
      };
      const cut = async (s: Subscriber) => {
        s.lastEventId = s.client?.lastEventId;
        await s.client?.cancel();
        s.client = undefined;
      };
      try {
        for (const step of ops) {
          if (step.op === "log") {
            for (let i = 0; i < step.count; i++) {
              const message = `m${logged.length}`;
              logged.push(message);
              logger.log(message);
            }
            continue;
          }
          const s = subs[step.sub];
          if (step.op === "open") {
            s.client ??= await SseClient.open(url, s.lastEventId);
          } else if (step.op === "read" && s.client !== undefined) {
            const available = logged.length - s.received.length;
            collect(s, await s.client.take(Math.min(step.count, available)));
          } else if (step.op === "cut") {
            await cut(s);
          }
        }
        await logger.close();
        for (const s of subs) {
          s.client ??= await SseClient.open(url, s.lastEventId);
          const events = await s.client.readToEnd(10_000);
          assert.equal(events.at(-1)?.event, "done");
          collect(s, events);
          assert.deepEqual(s.received, logged);
        }
      } finally {
        for (const s of subs) await cut(s);
      }
    }),
    { numRuns: 40 },
  );
});
