/** The options of a `RedisStore`, their defaults and their checks. */

import type { RedisClientLike } from "./connection.ts";

/**
 * Options of a {@linkcode RedisStore}: where Redis is (`url`, or a connected
 * `client`), and the store's limits.
 */
export interface RedisStoreOptions {
  /** A Redis URL (`redis://`, `rediss://`, `unix://`), for a connection the store opens and closes. */
  url?: string;
  /**
   * A client (`createClient`) or cluster (`createCluster`) of `@redis/client`
   * the app already has, connected; the store never closes it. On a cluster,
   * sharded pub/sub is used.
   */
  client?: RedisClientLike;
  /** The start of every key the store writes. Default `"streamator:"`; no `{` or `}`. */
  prefix?: string;
  /**
   * How often the writer renews its lease and readers re-check a quiet job, in
   * ms. Readers end the stream with `status: "lost"` within about 3 ×
   * `leaseMs` of the writer's last renewal. Default 5,000.
   */
  leaseMs?: number;
  /** How long a job's keys live after its last write, in ms. Default 24 hours. */
  retentionMs?: number;
  /** Entries kept per job; past it the oldest are trimmed (readers are told `missed`). Default 100,000. */
  maxEntries?: number;
  /**
   * Entries the writer keeps in memory while Redis is unreachable; past it the
   * oldest are dropped and readers are told `missed`. Default 100,000.
   */
  maxUnstored?: number;
  /** How long a job with no new entry stays open before it is ended, in ms. Default 1 hour. */
  idleMs?: number;
  /** How long `flush()` and `close()` wait through an outage before they reject, in ms. Default 30,000. */
  failAfterMs?: number;
  /** Called with each failed Redis request (the writer retries). Default: none. */
  onError?: (error: unknown) => void;
}

/** The checked options with their defaults. */
export interface RedisSettings {
  prefix: string;
  leaseMs: number;
  retentionMs: number;
  maxEntries: number;
  maxUnstored: number;
  idleMs: number;
  failAfterMs: number;
  report: (error: unknown) => void;
}

/** The checked settings of `options`, or a TypeError naming a bad option. */
export function redisSettings(options: RedisStoreOptions): RedisSettings {
  if (options === null || typeof options !== "object") {
    throw new TypeError("RedisStore: options must be an object with { url } or { client }");
  }
  const hasUrl = options.url !== undefined;
  const hasClient = options.client !== undefined;
  if (hasUrl === hasClient) {
    throw new TypeError("RedisStore: give exactly one of options.url and options.client");
  }
  if (hasUrl && (typeof options.url !== "string" || !/^(rediss?|unix):\/\//.test(options.url))) {
    throw new TypeError(
      `RedisStore: options.url must be a redis://, rediss:// or unix:// URL, got ${
        String(options.url)
      }`,
    );
  }
  if (
    hasClient &&
    (typeof options.client !== "object" || typeof options.client?.duplicate !== "function")
  ) {
    throw new TypeError(
      "RedisStore: options.client must be a client or cluster from @redis/client",
    );
  }
  const prefix = options.prefix ?? "streamator:";
  if (typeof prefix !== "string" || /[{}]/.test(prefix)) {
    throw new TypeError(
      `RedisStore: options.prefix must be a string without { or }, got ${String(prefix)}`,
    );
  }
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function") {
    throw new TypeError("RedisStore: options.onError must be a function");
  }
  return {
    prefix,
    leaseMs: positive(options.leaseMs, 5_000, "leaseMs", false),
    retentionMs: positive(options.retentionMs, 86_400_000, "retentionMs", true),
    maxEntries: positive(options.maxEntries, 100_000, "maxEntries", true),
    maxUnstored: positive(options.maxUnstored, 100_000, "maxUnstored", true),
    idleMs: positive(options.idleMs, 3_600_000, "idleMs", false),
    failAfterMs: positive(options.failAfterMs, 30_000, "failAfterMs", false),
    report: (error) => {
      try {
        onError?.(error);
      } catch (thrown) {
        console.error("streamator: options.onError threw", thrown);
      }
    },
  };
}

function positive(value: unknown, fallback: number, name: string, integer: boolean): number {
  const v = value ?? fallback;
  if (
    typeof v !== "number" || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))
  ) {
    throw new TypeError(
      `RedisStore: options.${name} must be a positive ${integer ? "integer" : "number"}, got ${
        String(v)
      }`,
    );
  }
  return v;
}
