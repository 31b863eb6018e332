/**
 * The store contract, run by every store: memory (plain and behind
 * `pollingStore`), DynamoDB (dynalite), Redis and a one-node Redis Cluster
 * (sharded pub/sub). See tests/support/store_contract.ts. The Durable Object
 * store runs the same checks inside workerd: tests/cloudflare_store_test.ts.
 */

import { createCluster } from "@redis/client";
import { JobLogger, MemoryStore, pollingStore, type Store } from "../mod.ts";
import { RedisStore } from "../redis/mod.ts";
import { startDynalite } from "./support/dynalite.ts";
import { freshTable, testStore } from "./support/dynamo.ts";
import { startRedis } from "./support/redis.ts";
import { type ContractStores, storeContract } from "./support/store_contract.ts";

storeContract({
  name: "memory",
  open() {
    const store = new MemoryStore();
    return Promise.resolve({ writer: store, reader: store, async [Symbol.asyncDispose]() {} });
  },
  openBounded(maxEntries) {
    const store = new MemoryStore({ maxEntries });
    return Promise.resolve({ writer: store, reader: store, async [Symbol.asyncDispose]() {} });
  },
});

/** A writer and a reader on a shared server: disposing them disposes both, then `stop`s the server. */
function sharedStores<S extends Store & { dispose(): void }>(
  writer: S,
  reader: S,
  stop: () => PromiseLike<void>,
): ContractStores {
  return {
    writer,
    reader,
    async [Symbol.asyncDispose]() {
      writer.dispose();
      reader.dispose();
      await stop();
    },
  };
}

/** `pollingStore` forwards what it knows; cancel and results go to the store it wraps. */
function polled(inner: MemoryStore): Store {
  return {
    ...pollingStore(inner, { intervalMs: 10 }),
    setResult: (id, json) => inner.setResult(id, json),
    readResult: (id) => inner.readResult(id),
    cancel: (id) => inner.cancel(id),
    onCancel: (id, listener) => inner.onCancel(id, listener),
  };
}

storeContract({
  name: "pollingStore(MemoryStore)",
  open() {
    const store = polled(new MemoryStore());
    return Promise.resolve({ writer: store, reader: store, async [Symbol.asyncDispose]() {} });
  },
});

storeContract({
  name: "dynamo",
  async open() {
    const db = await startDynalite();
    const table = freshTable();
    const writer = testStore(db.endpoint, { table, pollMs: 50, leaseMs: 200 });
    const reader = testStore(db.endpoint, { table, pollMs: 50, leaseMs: 200 });
    // A deployed app's table exists before its first reader comes: a first job creates it.
    await new JobLogger({ store: writer }).close();
    return sharedStores(writer, reader, () => db[Symbol.asyncDispose]());
  },
});

async function openRedis(maxEntries?: number) {
  const redis = await startRedis();
  const writer = new RedisStore({ url: redis.url, leaseMs: 200, maxEntries });
  const reader = new RedisStore({ url: redis.url, leaseMs: 200, maxEntries });
  return sharedStores(writer, reader, () => redis[Symbol.asyncDispose]());
}

storeContract({ name: "redis", open: () => openRedis(), openBounded: openRedis });

async function openCluster(maxEntries?: number) {
  const redis = await startRedis({ cluster: true });
  const clusters = [0, 1].map(() => createCluster({ rootNodes: [{ url: redis.url }] }));
  await Promise.all(clusters.map((cluster) => cluster.connect()));
  const [writer, reader] = clusters.map((client) =>
    new RedisStore({ client, leaseMs: 200, maxEntries })
  );
  return sharedStores(writer, reader, () => {
    for (const cluster of clusters) cluster.destroy();
    return redis[Symbol.asyncDispose]();
  });
}

storeContract({ name: "redis cluster", open: () => openCluster(), openBounded: openCluster });
