/** Test support: DynamoDB stores and raw queries against a test dynalite. */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoStore, type DynamoStoreOptions } from "../../dynamo/mod.ts";
import { dynaliteClient, dynaliteEnv } from "./dynalite.ts";
import { spawnWriterProcess, type WriterProcess } from "./writer_process.ts";

let tables = 0;

/** A table name no other test of this process uses. */
export function freshTable(): string {
  return `logs-${Date.now().toString(36)}-${++tables}`;
}

/** A store on dynalite at `endpoint` (or on `options.client`); `using` disposes it. */
export function testStore(
  endpoint: string,
  options: Partial<DynamoStoreOptions> & { table: string },
): DynamoStore {
  const connection = options.client === undefined ? dynaliteClient(endpoint) : {};
  return new DynamoStore({ ...connection, pollMs: 100, ...options });
}

/** Counts the HTTP requests a client sends (each attempt, retries included) and the items Query returns. */
export interface Counted {
  client: DynamoDBClient & Disposable;
  requests: Map<string, number>;
  queryItems: number[];
  total(): number;
}

/** A DynamoDB client on dynalite (or a proxy) that counts its requests per operation. */
export function countingClient(endpoint: string, requestTimeoutMs = 5_000): Counted {
  const client = new DynamoDBClient({
    ...dynaliteClient(endpoint),
    requestHandler: {
      requestTimeout: requestTimeoutMs,
      connectionTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const requests = new Map<string, number>();
  const queryItems: number[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? "?").replace(/Command$/, "");
      requests.set(name, (requests.get(name) ?? 0) + 1);
      const result = await next(args);
      const output = result.output as { Items?: unknown[] } | undefined;
      if (name === "Query") queryItems.push(output?.Items?.length ?? 0);
      return result;
    },
    { step: "finalizeRequest", priority: "low", name: "countRequests" },
  );
  return {
    client: Object.assign(client, { [Symbol.dispose]: () => client.destroy() }),
    requests,
    queryItems,
    total: () => [...requests.values()].reduce((a, b) => a + b, 0),
  };
}

/** Every item of a job, raw, in `seq` order. */
export async function rawItems(
  endpoint: string,
  table: string,
  jobId: string,
): Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(dynaliteClient(endpoint)));
  try {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    for (let page = 0; page < 10_000; page++) {
      const out = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "jobId = :j",
          ExpressionAttributeValues: { ":j": jobId },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return items;
  } finally {
    client.destroy();
  }
}

const WRITER = new URL("./dynamo_writer.ts", import.meta.url).pathname;

/** Starts `dynamo_writer.ts TABLE commands LEASE_MS` against dynalite; resolves once its job exists. */
export function startWriter(
  endpoint: string,
  table: string,
  leaseMs: number,
): Promise<WriterProcess> {
  return spawnWriter(endpoint, [table, "commands", String(leaseMs)]);
}

/** Starts `dynamo_writer.ts` with `args` (either mode) against dynalite; resolves with the job id it prints first. */
export function spawnWriter(endpoint: string, args: string[]): Promise<WriterProcess> {
  const permissions = [
    "--allow-net=127.0.0.1",
    "--allow-env",
    "--allow-read",
    "--allow-sys=osRelease",
  ];
  return spawnWriterProcess(WRITER, permissions, args, dynaliteEnv(endpoint));
}
