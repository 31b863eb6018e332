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

/** How long the lease key lives without a renewal: readers see a lost job within 3 × leaseMs. */
export const LEASE_TTL_LEASES = 2;
