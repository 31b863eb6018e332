/**
 * Makes sure the log table exists with the store's key schema: uses it as it
 * is when it does, else creates it (on-demand billing) and turns TTL on.
 *
 * @module
 */

import {
  CreateTableCommand,
  DescribeTableCommand,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoStoreError, explain } from "./errors.ts";
import { HASH_KEY, RANGE_KEY, TTL_ATTRIBUTE } from "./key_schema.ts";

/** What {@linkcode ensureTable} did. */
export interface EnsureTableResult {
  /** Whether this call created the table. */
  created: boolean;
  /** When it created the table but could not turn TTL on: why (e.g. a local emulator without TTL). */
  ttlWarning?: string;
}

/** Polls while a new table is CREATING: at most this many times, `ACTIVE_POLL_MS` apart. */
const ACTIVE_POLLS = 120;
const ACTIVE_POLL_MS = 500;

/**
 * Describes `table`; creates it with TTL on `expiresAt` when it is missing
 * and `create` is true. Throws a {@linkcode DynamoStoreError} when the table
 * has another key schema, is missing and may not be created, or cannot be
 * reached.
 */
export async function ensureTable(
  client: DynamoDBDocumentClient,
  table: string,
  create: boolean,
): Promise<EnsureTableResult> {
  const existing = await describe(client, table);
  if (existing !== undefined) {
    checkSchema(existing, table);
    if (existing.TableStatus === "CREATING") await waitActive(client, table);
    return { created: false };
  }
  if (!create) {
    throw new DynamoStoreError(
      `DynamoStore: table "${table}" does not exist and options.createTable is false; ` +
        `create it with hash key "${HASH_KEY}" (S) and range key "${RANGE_KEY}" (N)`,
      { retryable: false },
    );
  }
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: HASH_KEY, AttributeType: "S" },
          { AttributeName: RANGE_KEY, AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: HASH_KEY, KeyType: "HASH" },
          { AttributeName: RANGE_KEY, KeyType: "RANGE" },
        ],
      }),
    );
  } catch (error) {
    if ((error as Error)?.name === "ResourceInUseException") {
      created = false; // another process is creating it right now
    } else if ((error as Error)?.name === "AccessDeniedException") {
      throw new DynamoStoreError(
        `DynamoStore: table "${table}" does not exist and the credentials may not create it ` +
          `(dynamodb:CreateTable denied). Create it with hash key "${HASH_KEY}" (S), range key ` +
          `"${RANGE_KEY}" (N) and TTL on "${TTL_ATTRIBUTE}", or grant dynamodb:CreateTable`,
        { retryable: false, cause: error },
      );
    } else {
      throw explain(error, table, "CreateTable");
    }
  }
  await waitActive(client, table);
  if (!created) return { created: false };
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE },
      }),
    );
    return { created: true };
  } catch (error) {
    const name = (error as Error)?.name ?? "Error";
    return {
      created: true,
      ttlWarning: `DynamoStore: created table "${table}" but could not turn TTL on for ` +
        `"${TTL_ATTRIBUTE}" (${name}); items still carry ${TTL_ATTRIBUTE}, enable TTL on the ` +
        `table to have DynamoDB delete expired logs`,
    };
  }
}

async function describe(
  client: DynamoDBDocumentClient,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    return Table;
  } catch (error) {
    if ((error as Error)?.name === "ResourceNotFoundException") return undefined;
    throw explain(error, table, "DescribeTable");
  }
}

function checkSchema(description: TableDescription, table: string): void {
  const keys = description.KeySchema ?? [];
  const types = new Map(
    (description.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]),
  );
  const hash = keys.find((k) => k.KeyType === "HASH")?.AttributeName;
  const range = keys.find((k) => k.KeyType === "RANGE")?.AttributeName;
  if (
    hash !== HASH_KEY || range !== RANGE_KEY || types.get(HASH_KEY) !== "S" ||
    types.get(RANGE_KEY) !== "N"
  ) {
    throw new DynamoStoreError(
      `DynamoStore: table "${table}" has key schema ${
        keys.map((k) => `${k.AttributeName} (${types.get(k.AttributeName!)}, ${k.KeyType})`)
          .join(", ")
      }; the store needs hash key "${HASH_KEY}" (S) and range key "${RANGE_KEY}" (N)`,
      { retryable: false },
    );
  }
}

async function waitActive(client: DynamoDBDocumentClient, table: string): Promise<void> {
  for (let i = 0; i < ACTIVE_POLLS; i++) {
    const description = await describe(client, table);
    if (description?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
  }
  throw new DynamoStoreError(
    `DynamoStore: table "${table}" did not become ACTIVE within ${
      ACTIVE_POLLS * ACTIVE_POLL_MS / 1000
    } s`,
    { retryable: true },
  );
}
