// npm smoke test: a consumer of `streamator/dynamo`, checked by tsc under the
// Node-only tsconfig with the AWS SDK peers installed (skipLibCheck false).
import { JobLogger } from "streamator";
import { DynamoStore, sharedDynamoStore } from "streamator/dynamo";

export const store: DynamoStore = new DynamoStore({
  table: "my-logs-table",
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});
export const shared: DynamoStore = sharedDynamoStore({
  table: "my-logs-table",
  ttlDays: 1,
});
export const logger: JobLogger = new JobLogger({
  store: "dynamo",
  table: "my-logs-table",
});
