/**
 * The error of the Redis store: what `flush()`, `close()` and `setResult()`
 * reject with, and what `onError` receives for a failed write.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedisStore, RedisStoreError } from "@streamator/core/redis";
 *
 * const store = new RedisStore({ url: Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379" });
 * store.dispose();
 * await assert.rejects(store.read("job-1", 0), RedisStoreError);
 * ```
 */
export class RedisStoreError extends Error {
  /** A failure that names its cause. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisStoreError";
  }
}
