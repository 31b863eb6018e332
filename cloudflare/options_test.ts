import assert from "node:assert/strict";
import { durableObjectStore, type JobLogNamespace } from "./mod.ts";

/** A namespace whose objects are never reached: only option checks run here. */
const unreachable: JobLogNamespace = {
  idFromName: (name) => name,
  get: () => ({ fetch: () => Promise.reject(new Error("not in workerd")) }),
};

Deno.test("durableObjectStore: a bad namespace is a TypeError saying what is expected", () => {
  for (const namespace of [undefined, null, "JOB_LOGS", {}, { idFromName: () => "x" }]) {
    assert.throws(
      () => durableObjectStore(namespace as unknown as JobLogNamespace),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message ===
          "durableObjectStore: namespace must be a Durable Object namespace binding (env.JOB_LOGS)",
    );
  }
});

Deno.test("durableObjectStore: a bad option is a TypeError naming it and what it allows", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ leaseMs: 0 }, "options.leaseMs must be a positive number, got 0"],
    [{ retentionMs: -1 }, "options.retentionMs must be a positive number, got -1"],
    [{ maxEntries: 2.5 }, "options.maxEntries must be a positive integer, got 2.5"],
    [{ batchMs: -1 }, "options.batchMs must be a non-negative number, got -1"],
    [{ waitMs: Infinity }, "options.waitMs must be a positive number, got Infinity"],
    [{ leaseMs: "30s" }, "options.leaseMs must be a positive number, got 30s"],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => durableObjectStore(unreachable, options),
      (error: unknown) =>
        error instanceof TypeError && error.message === `durableObjectStore: ${message}`,
      JSON.stringify(options),
    );
  }
  assert.throws(
    () => durableObjectStore(unreachable, { onError: "log" as unknown as () => void }),
    /options\.onError must be a function/,
  );
  assert.doesNotThrow(() => durableObjectStore(unreachable, { batchMs: 0, leaseMs: 1_000 }));
});
