/**
 * Cloudflare Workers reading a job's log from DynamoDB: the job ran elsewhere
 * (a worker process, a queue consumer) and wrote through
 * `new JobLogger({ store: "dynamo", table })`; this Worker serves its stream
 * and snapshot routes. The read path only queries the table (`dynamodb:Query`).
 *
 * Bundled for the browser platform (as wrangler does), the AWS SDK uses
 * `fetch` and needs no compatibility flag. The credentials are Worker
 * secrets; `DYNAMO_ENDPOINT` is only for a local DynamoDB (dynalite).
 */
import { createLogHandler, type LogHandler } from "../mod.ts";
import { DynamoStore } from "../dynamo/mod.ts";

interface Env {
  DYNAMO_TABLE: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  DYNAMO_ENDPOINT?: string;
  HEARTBEAT_MS?: string;
}

let logs: LogHandler | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    logs ??= createLogHandler({
      prefix: "/log",
      store: new DynamoStore({
        table: env.DYNAMO_TABLE,
        region: env.AWS_REGION,
        endpoint: env.DYNAMO_ENDPOINT,
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        },
        createTable: false,
      }),
      heartbeatMs: Number(env.HEARTBEAT_MS ?? 5_000),
    });
    return (await logs(request)) ?? new Response("not found", { status: 404 });
  },
};
