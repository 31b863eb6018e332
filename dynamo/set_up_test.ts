/**
 * Setting the DynamoDB store up: the table it creates or checks, the
 * options and names it refuses, the store shared per table, and what
 * missing credentials do.
 */
import assert from "node:assert/strict";
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { createLogHandler, JobLogger } from "../mod.ts";
import { DynamoStore, DynamoStoreError } from "./mod.ts";
import { startDynalite } from "../tests/support/dynalite.ts";
import { countingClient, freshTable, testStore } from "../tests/support/dynamo.ts";
import { capturingWarnings } from "../tests/support/console.ts";

Deno.test("a missing table is created (on-demand, the store's key schema); TTL is tried", async () => {
  await using db = await startDynalite();
  const table = freshTable();
  using counted = countingClient(db.endpoint).client;
  const errors: DynamoStoreError[] = [];
  using store = testStore(db.endpoint, {
    table,
    client: counted,
    onError: (e) => errors.push(e),
  });
  let jobId = "";
  const warnings = await capturingWarnings(async () => {
    const logger = new JobLogger({ store });
    jobId = logger.jobId;
    logger.log("first");
    await logger.close();
  });
  const { Table } = await counted.send(new DescribeTableCommand({ TableName: table }));
  assert.equal(Table?.TableStatus, "ACTIVE");
  assert.equal(Table?.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
  assert.deepEqual(Table?.KeySchema, [
    { AttributeName: "jobId", KeyType: "HASH" },
    { AttributeName: "seq", KeyType: "RANGE" },
  ]);
  // dynalite has no UpdateTimeToLive: the store says so once and goes on.
  const ttl = await counted.send(new DescribeTimeToLiveCommand({ TableName: table }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== "ENABLED") {
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not turn TTL on for "expiresAt"/);
  }
  assert.deepEqual(errors, []);
  assert.equal((await store.read(jobId, 0))?.entries.length, 1);

  // An existing table is used as it is: a second store writes to it without creating anything.
  using again = testStore(db.endpoint, { table, createTable: false });
  const second = new JobLogger({ store: again });
  second.log("second");
  await second.close();
  assert.equal((await again.read(second.jobId, 0))?.done, true);
});

Deno.test("a missing table with createTable: false, or a table of another schema, is a clear error", async () => {
  await using db = await startDynalite();
  const errors: DynamoStoreError[] = [];
  using store = testStore(db.endpoint, {
    table: freshTable(),
    createTable: false,
    onError: (e) => errors.push(e),
  });
  const warnings = await capturingWarnings(async () => {
    const logger = new JobLogger({ store });
    logger.log("x");
    await assert.rejects(logger.flush(), (error: unknown) => {
      assert.ok(error instanceof DynamoStoreError);
      assert.match(
        error.message,
        /table "logs-.*" does not exist and options.createTable is false/,
      );
      assert.equal(error.retryable, false);
      return true;
    });
  });
  assert.equal(warnings.length, 1);
  assert.ok(errors.length >= 1);

  const other = freshTable();
  using counted = countingClient(db.endpoint).client;
  await counted.send(
    new (await import("@aws-sdk/client-dynamodb")).CreateTableCommand({
      TableName: other,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
  using wrong = testStore(db.endpoint, { table: other, onError: () => {} });
  await capturingWarnings(async () => {
    const logger = new JobLogger({ store: wrong });
    await assert.rejects(
      logger.close(),
      /has key schema id \(S, HASH\); the store needs hash key "jobId" \(S\) and range key "seq" \(N\)/,
    );
  });
});

Deno.test("bad table names and options are TypeErrors that name the rule", async () => {
  await import("./mod.ts"); // registers "dynamo"
  for (const table of ["ab", "my table", "logs/1", "x".repeat(256), ""]) {
    assert.throws(
      () => new DynamoStore({ table }),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message.includes("options.table must be a DynamoDB table name") &&
        error.message.includes("3 to 255 of A-Z a-z 0-9 _ - ."),
    );
    assert.throws(
      () => new JobLogger({ store: "dynamo", table }),
      /store "dynamo": options.table must be a DynamoDB table name/,
    );
  }
  assert.throws(() => new JobLogger({ store: "dynamo" }), /store "dynamo" needs options.table/);
  // @ts-expect-error: table is required
  assert.throws(() => new DynamoStore({}), /options.table must be a DynamoDB table name/);
  assert.throws(() => new DynamoStore({ table: "logs", ttlDays: 0 }), /ttlDays must be a positive/);
  assert.throws(
    () => new DynamoStore({ table: "logs", ttlDays: Number.NaN }),
    /ttlDays must be a positive/,
  );
});

Deno.test('store: "dynamo" reuses one store per table and ttlDays', async () => {
  const { sharedDynamoStore } = await import("./mod.ts");
  const a = new JobLogger({ store: "dynamo", table: "shared-logs", ttlDays: 3 });
  const b = new JobLogger({ store: "dynamo", table: "shared-logs", ttlDays: 3 });
  const c = new JobLogger({ store: "dynamo", table: "shared-logs", ttlDays: 4 });
  try {
    assert.equal(a.store, b.store);
    assert.notEqual(a.store, c.store);
    assert.ok(a.store instanceof DynamoStore);
    assert.equal(sharedDynamoStore({ table: "shared-logs", ttlDays: 3 }), a.store);
    assert.equal((a.store as DynamoStore).ttlDays, 3);
  } finally {
    (a.store as DynamoStore).dispose();
    (c.store as DynamoStore).dispose();
  }
  // A disposed shared store is replaced, not handed out again.
  const d = new JobLogger({ store: "dynamo", table: "shared-logs", ttlDays: 3 });
  assert.notEqual(d.store, a.store);
  (d.store as DynamoStore).dispose();
});

Deno.test("missing credentials: flush() rejects at once with a clear error", async () => {
  await using db = await startDynalite();
  const saved = new Map<string, string | undefined>();
  const env: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  };
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, Deno.env.get(name));
    if (value === undefined) Deno.env.delete(name);
    else Deno.env.set(name, value);
  }
  try {
    const errors: DynamoStoreError[] = [];
    using store = new DynamoStore({
      table: freshTable(),
      endpoint: db.endpoint,
      region: "us-east-1",
      onError: (e) => errors.push(e),
    });
    await capturingWarnings(async () => {
      const logger = new JobLogger({ store });
      logger.log("x");
      await assert.rejects(logger.close(), (error: unknown) => {
        assert.ok(error instanceof DynamoStoreError);
        assert.match(error.message, /no AWS credentials were found/);
        assert.match(error.message, /AWS_ACCESS_KEY_ID/);
        assert.equal(error.retryable, false);
        return true;
      });
    });
    assert.ok(errors.length >= 1);
    // Reading fails the same way; the handler answers 503, never 500.
    await assert.rejects(store.read("some-job", 0), /no AWS credentials were found/);
    const logs = createLogHandler({ store });
    const response = await logs(new Request("http://local/log/some-job"));
    assert.equal(response?.status, 503);
    await response?.body?.cancel();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
});
