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
        if (s.client === undefined) return; // cut already: keep where it left off
        s.lastEventId = s.client.lastEventId;
        await s.client.cancel();
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

type SlowOp =
  | { op: "log"; count: number }
  | { op: "read"; count: number }
  | { op: "cut" }
  | { op: "expire" };

const slowOpArb: fc.Arbitrary<SlowOp> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("log" as const),
      count: fc.integer({ min: 1, max: 15 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("read" as const),
      count: fc.integer({ min: 1, max: 10 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant("cut" as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("expire" as const) }), weight: 1 },
);

Deno.test("a slow reader behind the entry cap or the retention gets every entry or a missed count for it", async () => {
  const RETENTION_MS = 20;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 12 }),
      fc.array(slowOpArb, { maxLength: 30 }),
      async (maxEntries, ops) => {
        const store = new MemoryStore({ maxEntries, retentionMs: RETENTION_MS });
        await using server = serve(createLogHandler({ store }));
        const logger = new JobLogger({ store });
        const url = `${server.url}/log/${logger.jobId}/stream`;
        let logged = 0;
        let closed = false;
        let client: SseClient | undefined;
        let expected = 0; // the id the reader's connection delivers next
        let finished = false;
        const received: number[] = [];
        const reported = new Set<number>(); // ids a missed event accounted for
        const open = async () => {
          if (client !== undefined || finished) return;
          client = await SseClient.open(
            url,
            received.length > 0 ? String(received.at(-1)) : undefined,
          );
          expected = received.length > 0 ? received.at(-1)! + 1 : 0;
        };
        const readOne = async () => {
          const event = (await client!.take(1))[0];
          if (event.event === "missed") {
            const count = event.count as number;
            assert.ok(count > 0);
            for (let id = expected; id < expected + count; id++) reported.add(id);
            expected += count;
          } else if (event.event === "log") {
            assert.equal(event.message, `m${expected}`, "in order, right after any gap");
            received.push(expected++);
          } else {
            assert.equal(event.event, "done");
            assert.equal(expected, logged, "done comes after every entry or its gap");
            finished = true;
          }
        };
        const cut = async () => {
          await client?.cancel();
          client = undefined;
        };
        try {
          for (const step of ops) {
            if (step.op === "log" && !closed) {
              for (let i = 0; i < step.count; i++) logger.log(`m${logged++}`);
            } else if (step.op === "read") {
              await open();
              // There is always something to read while the reader is behind the end.
              for (let i = 0; i < step.count && !finished && (expected < logged || closed); i++) {
                await readOne();
              }
              if (finished) await cut();
            } else if (step.op === "cut") {
              await cut();
            } else if (step.op === "expire") {
              closed = true;
              await logger.close();
              await new Promise((resolve) => setTimeout(resolve, RETENTION_MS + 15));
            }
          }
          closed = true;
          await logger.close();
          await open();
          for (let i = 0; i < 10_000 && !finished; i++) await readOne();
          assert.ok(finished);
          for (let id = 0; id < logged; id++) {
            assert.ok(received.includes(id) || reported.has(id), `entry ${id} vanished`);
          }
          assert.deepEqual(received, [...new Set(received)].sort((a, b) => a - b), "no repeats");
        } finally {
          await cut();
        }
      },
    ),
    { numRuns: 40 },
  );
});
