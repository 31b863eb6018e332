/**
 * One read of a job from Redis: its meta and the entries from a cursor on,
 * atomically (the `READ` script), and what a reader makes of them.
 *
 * @module
 */

import type { Outcome, ReadResult } from "../server/store.ts";
import type { OutcomeStatus } from "../server/wire.ts";
import { type Context, scriptKeys } from "./context.ts";
import { entryId, streamId } from "./keys.ts";
import { READ } from "./scripts.ts";

/** What one `READ` found. */
export interface LogRead {
  /** The id after the last entry the writer stored. */
  next: number;
  /** How the job ended, once its writer closed it. */
  outcome: Outcome | undefined;
  /** Whether the writer's lease is set (a job without one, not ended, may be lost). */
  alive: boolean;
  cancel: boolean;
  /** The entries from the cursor on, in id order (ids may skip trimmed or dropped ones). */
  entries: { id: number; json: string }[];
}

/** Why a job with no lease and no end is over. */
export const LEASE_LAPSED = "the writer stopped renewing its lease (it died or lost Redis)";
/** Why a job whose keys are gone is over. */
export const KEYS_GONE =
  "the job's keys are gone from Redis (expired, evicted, or Redis restarted without persistence)";

type Reply = null | [
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  [string, string[]][],
];

/**
 * Reads the meta of `jobId` and up to `count` entries from `cursor`;
 * `undefined` when Redis has no such job.
 */
export async function readLog(
  ctx: Context,
  jobId: string,
  cursor: number,
  count: number,
): Promise<LogRead | undefined> {
  const reply = await ctx.conn.script<Reply>(READ, scriptKeys(ctx.keys(jobId)), [
    streamId(cursor),
    String(count),
  ]);
  if (reply === null || !Array.isArray(reply)) return undefined;
  const [next, done, status, message, cancel, alive, raw] = reply;
  let outcome: Outcome | undefined;
  if (done !== null) {
    outcome = { status: (status ?? "ok") as OutcomeStatus };
    if (message !== null) outcome.message = message;
  }
  const entries = raw.map(([id, fields]) => ({ id: entryId(id), json: fields[1] }));
  return {
    next: Number(next),
    outcome,
    alive: Number(alive) === 1,
    cancel: cancel !== null,
    entries,
  };
}

/**
 * The store's answer to a reader at `cursor` from one `READ` of `count`
 * entries (at most `limit` returned): entries up to the first gap after
 * them, or the gap's size as `missed`.
 */
export function toResult(got: LogRead, cursor: number, limit: number, count: number): ReadResult {
  const ended = got.outcome !== undefined;
  if (cursor > got.next) {
    return { entries: [], next: got.next, done: ended, missed: 0, ...endOf(got) };
  }
  const entries: string[] = [];
  let at = cursor;
  let missed = 0;
  for (const entry of got.entries) {
    if (entry.id !== at) {
      if (entries.length > 0) break; // the gap is told with the next read
      missed += entry.id - at;
      at = entry.id;
    }
    if (entries.length === limit) break;
    entries.push(entry.json);
    at++;
  }
  // Past the last entry returned, nothing more below `next` exists: gone for good.
  const complete = got.entries.length < count;
  if (complete && entries.length < limit && at < got.next && entries.length === 0) {
    missed += got.next - at;
    at = got.next;
  }
  const done = ended && at >= got.next;
  return { entries, next: at, done, missed, ...(done ? endOf(got) : {}) };
}

function endOf(got: LogRead): { outcome?: Outcome } {
  return got.outcome !== undefined ? { outcome: got.outcome } : {};
}
