/**
 * The Redis key layout of one job. Every key of a job carries the job id as
 * its hash tag (`{jobId}`), so they live in one Cluster slot and one Lua
 * script can touch them all:
 *
 * - `<prefix>{<jobId>}:log`: the entries, a stream whose entry ids are
 *   `0-<id + 1>` (Redis refuses `0-0`), so a cursor is an exact XRANGE start;
 * - `<prefix>{<jobId>}:meta`: a hash: `writer`, `next`, `done`, `status`,
 *   `message`, `result`, `cancel`;
 * - `<prefix>{<jobId>}:lease`: the writer's token, expiring unless renewed;
 * - `<prefix>{<jobId>}:news`: the pub/sub channel carrying the job's new end,
 *   `done` and `cancel`.
 *
 * @module
 */

/** The keys and the channel of one job. */
export interface JobKeys {
  log: string;
  meta: string;
  lease: string;
  channel: string;
}

/**
 * The keys of `jobId` under `prefix`.
 */
export function jobKeys(prefix: string, jobId: string): JobKeys {
  const base = `${prefix}{${jobId}}:`;
  return { log: `${base}log`, meta: `${base}meta`, lease: `${base}lease`, channel: `${base}news` };
}

/**
 * The stream entry id of entry `id` (0, 1, 2, ... on the wire).
 */
export function streamId(id: number): string {
  return `0-${id + 1}`;
}

/**
 * The entry id (as on the wire) of a stream entry id.
 */
export function entryId(streamEntryId: string): number {
  return Number(streamEntryId.slice(streamEntryId.indexOf("-") + 1)) - 1;
}
