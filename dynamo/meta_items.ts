/**
 * A job's meta item (see `key_schema.ts`) and its result items: who writes
 * the job, its lease, how it ended, the cancel flag and where its result is.
 *
 * | attribute                 | set by                  | meaning                                          |
 * | ------------------------- | ----------------------- | ------------------------------------------------ |
 * | `writer`, `createdAt`     | the first write         | the logger that owns the job id                  |
 * | `aliveAt`, `leaseMs`      | the writer, every lease | the writer is alive; lost after 3 × `leaseMs`    |
 * | `storedTo`, `storedAt`    | the writer, every lease | every entry below `storedTo` was stored by then  |
 * | `done`, `next`, `status`, `message`, `doneAt` | `close()` | the end and its outcome                   |
 * | `cancel`, `cancelAt`      | `cancel()`, any process | a stop was asked                                 |
 * | `resultVersion`, `resultParts` | `setResult()`      | where the result is (see `result_items.ts`)     |
 *
 * @module
 */

import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Outcome } from "../server/store.ts";
import { isOutcomeStatus } from "../server/wire.ts";
import type { StoreSettings } from "./client_options.ts";
import { explain } from "./errors.ts";
import { HASH_KEY, itemKey, META_SEQ, TTL_ATTRIBUTE } from "./key_schema.ts";
import { retryRead } from "./retry.ts";

/** What the store needs to send a request. */
export interface Context {
  doc: DynamoDBDocumentClient;
  settings: StoreSettings;
}

/** A lease older than this many `leaseMs` means the writer is gone. */
export const LOST_AFTER_LEASES = 3;
/** Eventually consistent reads see a write at most this long after it (DynamoDB: "usually within a second"). */
export const CONSISTENCY_MS = 2_000;

/** The meta item as readers use it. */
export interface MetaState {
  done: boolean;
  /** Once done: the number of entries. */
  next: number;
  outcome?: Outcome;
  /** Every entry below it was stored at `storedAt` or before. */
  storedTo: number;
  storedAt: number;
  cancel: boolean;
  resultVersion: number;
  resultParts: number;
}

/**
 * The state of a job from its meta item at time `now`: a job whose lease is
 * older than {@linkcode LOST_AFTER_LEASES} × its `leaseMs` is done with
 * `status: "lost"`.
 */
export function metaState(item: Record<string, unknown>, now: number): MetaState {
  const num = (name: string) => Number(item[name] ?? 0) || 0;
  const state: MetaState = {
    done: item.done === true,
    next: num("next"),
    storedTo: num("storedTo"),
    storedAt: num("storedAt"),
    cancel: item.cancel === true,
    resultVersion: num("resultVersion"),
    resultParts: num("resultParts"),
  };
  if (state.done) {
    const status = isOutcomeStatus(item.status) ? item.status : "ok";
    state.outcome = { status };
    if (typeof item.message === "string") state.outcome.message = item.message;
    state.storedTo = state.next;
    state.storedAt = num("doneAt");
    return state;
  }
  const aliveAt = num("aliveAt");
  const leaseMs = num("leaseMs");
  const age = now - aliveAt;
  if (aliveAt > 0 && leaseMs > 0 && age > LOST_AFTER_LEASES * leaseMs) {
    state.done = true;
    state.outcome = {
      status: "lost",
      message: `the job's writer stopped renewing its lease ${Math.round(age / 1000)} s ago ` +
        `(lease ${leaseMs} ms): its process ended or lost DynamoDB`,
    };
  }
  return state;
}

/**
 * Sends a conditional write: its output, or `undefined` when its condition
 * did not hold. Any other error is explained as `operation` on the table.
 */
export async function conditional<T>(
  ctx: Context,
  operation: string,
  request: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await request();
  } catch (error) {
    if ((error as Error)?.name === "ConditionalCheckFailedException") return undefined;
    throw explain(error, ctx.settings.table, operation);
  }
}

/**
 * Writes the meta item of a new job with its first lease; `false` when the
 * job id belongs to another writer.
 */
export async function putMeta(ctx: Context, jobId: string, writer: string): Promise<boolean> {
  const now = Date.now();
  const out = await conditional(ctx, "PutItem", () =>
    ctx.doc.send(
      new PutCommand({
        TableName: ctx.settings.table,
        Item: {
          ...itemKey(jobId, META_SEQ),
          writer,
          createdAt: now,
          aliveAt: now,
          leaseMs: ctx.settings.leaseMs,
          storedTo: 0,
          storedAt: now,
          [TTL_ATTRIBUTE]: ctx.settings.expiresAt(),
        },
        ConditionExpression: "attribute_not_exists(#h) OR #w = :w",
        ExpressionAttributeNames: { "#h": HASH_KEY, "#w": "writer" },
        ExpressionAttributeValues: { ":w": writer },
      }),
    ));
  return out !== undefined;
}

/**
 * Renews the writer's lease (one small `UpdateItem`); with `storedTo`, also
 * records that every entry below it is stored as of now. Returns whether a
 * cancel is pending (read from the same request); `false` also when the job
 * is no longer this writer's to renew.
 */
export async function renewLease(
  ctx: Context,
  jobId: string,
  writer: string,
  storedTo: number | undefined,
): Promise<boolean> {
  const now = Date.now();
  const values: Record<string, unknown> = {
    ":now": now,
    ":w": writer,
    ":x": ctx.settings.expiresAt(),
  };
  let set = "SET aliveAt = :now, #x = :x";
  if (storedTo !== undefined) {
    set += ", storedTo = :s, storedAt = :now";
    values[":s"] = storedTo;
  }
  const out = await conditional(ctx, "UpdateItem", () =>
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.settings.table,
        Key: itemKey(jobId, META_SEQ),
        UpdateExpression: set,
        ConditionExpression: "#w = :w AND attribute_not_exists(#d)",
        ExpressionAttributeNames: { "#w": "writer", "#d": "done", "#x": TTL_ATTRIBUTE },
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      }),
    ));
  return out?.Attributes?.cancel === true;
}

/** Marks the job done with its outcome, once every entry is stored. */
export async function markDone(
  ctx: Context,
  jobId: string,
  writer: string,
  next: number,
  outcome: Outcome,
): Promise<void> {
  const values: Record<string, unknown> = {
    ":d": true,
    ":n": next,
    ":s": outcome.status,
    ":t": Date.now(),
    ":x": ctx.settings.expiresAt(),
    ":w": writer,
  };
  let set = "SET #d = :d, #n = :n, #s = :s, doneAt = :t, #x = :x";
  if (outcome.message !== undefined) {
    set += ", #m = :m";
    values[":m"] = outcome.message;
  }
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.settings.table,
        Key: itemKey(jobId, META_SEQ),
        UpdateExpression: set,
        ConditionExpression: "#w = :w",
        ExpressionAttributeNames: {
          "#d": "done",
          "#n": "next",
          "#s": "status",
          "#x": TTL_ATTRIBUTE,
          "#w": "writer",
          ...(outcome.message !== undefined ? { "#m": "message" } : {}),
        },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    throw explain(error, ctx.settings.table, "UpdateItem");
  }
}

/** Sets the cancel flag of a job; `false` when the table has no such job. */
export async function requestCancel(ctx: Context, jobId: string): Promise<boolean> {
  const out = await conditional(ctx, "UpdateItem", () =>
    ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.settings.table,
        Key: itemKey(jobId, META_SEQ),
        UpdateExpression: "SET cancel = :c, cancelAt = :t",
        ConditionExpression: "attribute_exists(#h)",
        ExpressionAttributeNames: { "#h": HASH_KEY },
        ExpressionAttributeValues: { ":c": true, ":t": Date.now() },
      }),
    ));
  return out !== undefined;
}

/** The meta item, or `undefined` when the job (or the table) does not exist. */
export async function getMeta(
  ctx: Context,
  jobId: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await retryRead(
    () =>
      ctx.doc.send(
        new GetCommand({
          TableName: ctx.settings.table,
          Key: itemKey(jobId, META_SEQ),
          ConsistentRead: true,
        }),
      ),
    ctx.settings.table,
    "GetItem",
    ctx.settings.report,
  );
  return out.Item;
}
