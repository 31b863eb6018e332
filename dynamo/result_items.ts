/**
 * A job's result (`setResult`) in its own items, never on the meta item that
 * every poll reads: parts of at most 300 KB at `seq` −1, −2, ... (slot 0) or
 * −1001, −1002, ... (slot 1), below every entry id, so log queries never
 * see them. A new result goes into the slot the current one does not use,
 * then the meta item's `resultVersion`/`resultParts` point at it, so a
 * reader never sees half of a new result.
 *
 * @module
 */

import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ResultRead } from "../server/store.ts";
import { sliceUtf8 } from "./chunks.ts";
import { DynamoStoreError } from "./errors.ts";
import {
  HASH_KEY,
  itemKey,
  MAX_PART_BYTES,
  MAX_PARTS,
  META_SEQ,
  RANGE_KEY,
  TTL_ATTRIBUTE,
} from "./key_schema.ts";
import { conditional, type Context, getMeta, metaState } from "./meta_items.ts";
import { retryRead } from "./retry.ts";

/** Times a result's write or read starts again when another process changed the result meanwhile. */
const RESULT_ATTEMPTS = 5;

/** The `seq` of part `part` (0, 1, ...) of a result stored in `slot` (0 or 1). */
const resultSeq = (slot: number, part: number) => -(slot * 1000 + part + 1);

/**
 * Stores a result: its parts (≤ 300 KB each) in the slot the current result
 * does not use, then points the meta item at them, so a reader never sees
 * half of a new result. `false` when the table has no such job.
 */
export async function writeResult(ctx: Context, jobId: string, json: string): Promise<boolean> {
  const slices = sliceUtf8(json, MAX_PART_BYTES);
  if (slices.length > MAX_PARTS) {
    throw new DynamoStoreError(
      `DynamoStore: a result of ${json.length} characters is above the ` +
        `${MAX_PARTS * MAX_PART_BYTES}-byte limit of the DynamoDB store`,
      { retryable: false },
    );
  }
  for (let attempt = 0; attempt < RESULT_ATTEMPTS; attempt++) {
    const meta = await getMeta(ctx, jobId);
    if (meta === undefined) return false;
    const old = Number(meta.resultVersion ?? 0);
    const version = old + 1;
    const slot = version % 2;
    for (let part = 0; part < slices.length; part++) {
      await send(ctx, "PutItem", () =>
        ctx.doc.send(
          new PutCommand({
            TableName: ctx.settings.table,
            Item: {
              ...itemKey(jobId, resultSeq(slot, part)),
              e: [slices[part]],
              v: version,
              [TTL_ATTRIBUTE]: ctx.settings.expiresAt(),
            },
          }),
        ));
    }
    const pointed = await conditional(ctx, "UpdateItem", () =>
      ctx.doc.send(
        new UpdateCommand({
          TableName: ctx.settings.table,
          Key: itemKey(jobId, META_SEQ),
          UpdateExpression: "SET resultVersion = :v, resultParts = :n",
          ConditionExpression: old === 0
            ? "attribute_not_exists(resultVersion)"
            : "resultVersion = :old",
          ExpressionAttributeValues: {
            ":v": version,
            ":n": slices.length,
            ...(old === 0 ? {} : { ":old": old }),
          },
        }),
      ));
    if (pointed !== undefined) return true;
    // another process set a result meanwhile: write ours again over the next version
  }
  throw new DynamoStoreError(
    `DynamoStore: the result of job "${jobId}" kept changing under setResult(); gave up`,
    { retryable: true },
  );
}

/** The job's result and whether it has ended; `undefined` for an unknown job. */
export async function readResult(ctx: Context, jobId: string): Promise<ResultRead | undefined> {
  for (let attempt = 0; attempt < RESULT_ATTEMPTS; attempt++) {
    const item = await getMeta(ctx, jobId);
    if (item === undefined) return undefined;
    const meta = metaState(item, Date.now());
    if (meta.resultParts === 0) return { json: undefined, done: meta.done };
    const slot = meta.resultVersion % 2;
    const out = await retryRead(
      () =>
        ctx.doc.send(
          new QueryCommand({
            TableName: ctx.settings.table,
            KeyConditionExpression: "#h = :h AND #r BETWEEN :lo AND :hi",
            ExpressionAttributeNames: { "#h": HASH_KEY, "#r": RANGE_KEY },
            ExpressionAttributeValues: {
              ":h": jobId,
              ":lo": resultSeq(slot, meta.resultParts - 1),
              ":hi": resultSeq(slot, 0),
            },
            ConsistentRead: true,
          }),
        ),
      ctx.settings.table,
      "Query",
      ctx.settings.report,
    );
    // Ascending seq is descending part: the last part comes first.
    const items = [...(out.Items ?? [])].reverse();
    if (
      items.length === meta.resultParts &&
      items.every((i) => Number(i.v) === meta.resultVersion)
    ) {
      return {
        json: items.map((i) => String((i.e as unknown[])[0] ?? "")).join(""),
        done: meta.done,
      };
    }
    // A newer result is being written over this slot: read the meta again.
  }
  throw new DynamoStoreError(
    `DynamoStore: the result of job "${jobId}" kept changing while it was read`,
    { retryable: true },
  );
}

/** Sends a write, retrying what may pass on a retry (throttling, network). */
async function send(ctx: Context, operation: string, request: () => Promise<unknown>) {
  await retryRead(request, ctx.settings.table, operation, ctx.settings.report);
}
