/**
 * The error of the Redis store: what `flush()`, `close()` and `setResult()`
 * reject with, and what `onError` receives for a failed write.
 *
 * @example
 * ```ts
 * import { RedisStoreError } from "@streamator/core/redis";
 * const error = new RedisStoreError("RedisStore: a write failed (connect ECONNREFUSED)");
 * error.name; // "RedisStoreError"
 * ```
 */
export class RedisStoreError extends Error {
  /** A failure that names its cause. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RedisStoreError";
  }
}
