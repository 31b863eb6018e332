import { registerStoreFactory } from "../server/store_registry.ts";
import { DynamoStore } from "./dynamo_store.ts";
import { checkTableName } from "./table_name.ts";

/**
 * Options of {@linkcode sharedDynamoStore}: the same as `JobLogger`'s for `store: "dynamo"`.
 */
export interface SharedDynamoStoreOptions {
  /** The table: 3 to 255 of `A-Z a-z 0-9 _ - .`. */
  table: string;
  /** Days until stored items expire. Default 1. */
  ttlDays?: number;
}

const shared = new Map<string, DynamoStore>();

/**
 * The one {@linkcode DynamoStore} of this process for a table and TTL, with
 * the client from the AWS environment: the store behind
 * `new JobLogger({ store: "dynamo", table, ttlDays })`. Give it to the handler
 * to read the same table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { sharedDynamoStore } from "@streamator/core/dynamo";
 *
 * const logger = new JobLogger({ store: "dynamo", table: "my-logs-table", ttlDays: 1 });
 * const store = sharedDynamoStore({ table: "my-logs-table", ttlDays: 1 });
 * const logs = createLogHandler({ store });
 * assert.equal(logger.store, store); // one store per table and ttlDays in a process
 *
 * logger.log("Starting…");
 * await logger.close(); // resolves once every entry is in DynamoDB
 * const snapshot = await logs(new Request(`http://localhost/log/${logger.jobId}`));
 * assert.equal((await snapshot!.json()).logs[0].message, "Starting…");
 * store.dispose();
 * ```
 */
export function sharedDynamoStore(options: SharedDynamoStoreOptions): DynamoStore {
  if (options === null || typeof options !== "object") {
    throw new TypeError('store "dynamo": options must be an object with { table, ttlDays? }');
  }
  const table = checkTableName(options.table, 'store "dynamo": options.table');
  const ttlDays = options.ttlDays ?? 1;
  const key = `${table}\n${ttlDays}`;
  let store = shared.get(key);
  if (store === undefined || store.disposed) {
    store = new DynamoStore({ table, ttlDays });
    shared.set(key, store);
  }
  return store;
}

registerStoreFactory("dynamo", ({ table, ttlDays }) => {
  if (table === undefined) {
    throw new TypeError(
      'JobLogger: store "dynamo" needs options.table, the name of the DynamoDB table',
    );
  }
  return sharedDynamoStore({ table, ttlDays });
});
