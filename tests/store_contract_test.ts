/**
 * The store contract (tests/support/store_contract.ts) on the memory store,
 * plain and behind `pollingStore`. The Durable Object store runs the same
 * checks inside workerd: tests/cloudflare_store_test.ts.
 */
import { MemoryStore, pollingStore } from "../mod.ts";
import { STORE_CONTRACT } from "./support/store_contract.ts";

let jobs = 0;
for (const [name, check] of Object.entries(STORE_CONTRACT)) {
  Deno.test(`store contract, MemoryStore: ${name}`, () =>
    check(new MemoryStore(), `job-${++jobs}`));
  Deno.test(`store contract, pollingStore(MemoryStore): ${name}`, () => {
    const inner = new MemoryStore();
    const polled = pollingStore(inner, { intervalMs: 10 });
    // pollingStore forwards what it knows; cancel and results go to the store it wraps.
    return check({
      ...polled,
      setResult: (id, json) => inner.setResult(id, json),
      readResult: (id) => inner.readResult(id),
      cancel: (id) => inner.cancel(id),
      onCancel: (id, listener) => inner.onCancel(id, listener),
    }, `job-${++jobs}`);
  });
}
