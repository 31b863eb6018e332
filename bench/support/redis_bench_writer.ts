/**
 * Bench support: a job in its own process for bench/redis.ts. `KIND TARGET
 * PER_SEC MS`: KIND is `redis` (TARGET a URL) or `dynamo` (TARGET
 * `endpoint,table`). Prints `{"jobId"}` once the job is stored, waits for a
 * line on stdin, then logs `at <log() time>` entries (epoch ms, sub-ms, as
 * bench/support/sse_clients.ts reads them) at PER_SEC for MS, closes, and prints `{"sent"}`.
 */
import { JobLogger, type Store } from "../../mod.ts";
import { RedisStore } from "../../redis/mod.ts";
import { DynamoStore } from "../../dynamo/mod.ts";

const [kind, target, perSecText, msText] = Deno.args;
const now = () => performance.timeOrigin + performance.now();
let store: Store & Disposable;
if (kind === "redis") store = new RedisStore({ url: target });
else {
  const [endpoint, table] = target.split(",");
  store = new DynamoStore({
    table,
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
}
const logger = new JobLogger({ store });
await logger.flush();
console.log(JSON.stringify({ jobId: logger.jobId }));
await Deno.stdin.readable.getReader().read();
const perSec = Number(perSecText);
const ms = Number(msText);
const start = now();
let sent = 0;
while (now() - start < ms) {
  const due = Math.floor(((now() - start) / 1000) * perSec);
  for (; sent < due; sent++) logger.log(`at ${now()}`);
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await logger.close();
console.log(JSON.stringify({ sent }));
store[Symbol.dispose]();
Deno.exit(0);
