import assert from "node:assert/strict";
import { backoff, CEILING_MS, retryAfter } from "./backoff.ts";

Deno.test("backoff doubles from the base, jittered in the upper half, up to the ceiling", () => {
  for (let round = 0; round < 200; round++) {
    for (const [failures, top] of [[1, 1000], [2, 2000], [3, 4000], [5, 15_000], [60, 15_000]]) {
      const wait = backoff(failures, 1000);
      assert.ok(wait >= top / 2 && wait <= top, `${failures} failures: ${wait} ms`);
    }
  }
  const waits = new Set(Array.from({ length: 20 }, () => backoff(3, 1000)));
  assert.ok(waits.size > 1, "jittered: not every reader waits the same");
  assert.equal(CEILING_MS, 15_000);
});

Deno.test("Retry-After: seconds or an HTTP date, capped; anything else is ignored", () => {
  assert.equal(retryAfter("3"), 3000);
  assert.equal(retryAfter("0"), 0);
  assert.equal(retryAfter("86400"), CEILING_MS);
  const date = retryAfter(new Date(Date.now() + 5_000).toUTCString())!;
  assert.ok(date > 3_000 && date <= 5_000, String(date));
  assert.equal(retryAfter(new Date(Date.now() - 60_000).toUTCString()), undefined);
  assert.equal(retryAfter(null), undefined);
  assert.equal(retryAfter("soon"), undefined);
  assert.equal(retryAfter("-1"), undefined);
});
