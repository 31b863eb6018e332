import type { Connection } from "./connection.ts";
import { type JobKeys, jobKeys } from "./keys.ts";
import type { RedisSettings } from "./options.ts";

/** What the parts of one store share: the connection, the settings and the key layout. */
export interface Context {
  conn: Connection;
  settings: RedisSettings;
  /** `SPUBLISH` on a cluster (sharded pub/sub), else `PUBLISH`. */
  publish: "PUBLISH" | "SPUBLISH";
  keys(jobId: string): JobKeys;
}

/** The context of a store on `conn`. */
export function makeContext(conn: Connection, settings: RedisSettings): Context {
  return {
    conn,
    settings,
    publish: conn.cluster ? "SPUBLISH" : "PUBLISH",
    keys: (jobId) => jobKeys(settings.prefix, jobId),
  };
}

/** The three keys every script takes, in order. */
export function scriptKeys(keys: JobKeys): string[] {
  return [keys.log, keys.meta, keys.lease];
}

/**
 * How long the lease key lives without a renewal, in leases. The writer
 * renews every half lease; a reader re-checks every lease and tells a lost job
 * once the lease has been missing for one more: within 3 × leaseMs in all.
 */
export const LEASE_TTL_LEASES = 1;
