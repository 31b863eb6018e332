/**
 * The DynamoDB store of Streamator: job logs that outlive the process and
 * are read from any process, on `@aws-sdk/lib-dynamodb`.
 *
 * Importing this module registers the `"dynamo"` store, so
 * `new JobLogger({ store: "dynamo", table, ttlDays })` works; or make a
 * {@linkcode DynamoStore} yourself for full control (your own client, region,
 * endpoint, error hook). Give the same store to `createLogHandler` and any
 * process, Cloudflare Workers included, serves the job's stream and
 * snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { sharedDynamoStore } from "@streamator/core/dynamo";
 *
 * // The writer: any process with AWS credentials.
 * const logger = new JobLogger({ store: "dynamo", table: "my-logs-table", ttlDays: 1 });
 * logger.log("Starting…");
 * logger.log("Done", "success");
 * await logger.close(); // resolves once every entry is in DynamoDB
 *
 * // The reader: any process, same table.
 * const logs = createLogHandler({
 *   prefix: "/log",
 *   store: sharedDynamoStore({ table: "my-logs-table", ttlDays: 1 }),
 * });
 * const snapshot = await logs(new Request(`http://localhost/log/${logger.jobId}`));
 * assert.equal((await snapshot!.json()).logs[1].message, "Done");
 * sharedDynamoStore({ table: "my-logs-table", ttlDays: 1 }).dispose();
 * ```
 *
 * @module
 */

export { DynamoStore } from "./dynamo_store.ts";
export type { DynamoClient, DynamoCredentials, DynamoStoreOptions } from "./client_options.ts";
export { sharedDynamoStore, type SharedDynamoStoreOptions } from "./register.ts";
export { DynamoStoreError } from "./errors.ts";
/** The store contract the DynamoDB store implements (the same types as the core's). */
export type { Outcome, ReadResult, ResultRead, Store } from "../server/store.ts";
export type { OutcomeStatus } from "../server/wire.ts";
