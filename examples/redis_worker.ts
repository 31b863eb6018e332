/**
 * A job in a worker process (a queue consumer, a BullMQ worker), logging to
 * Redis: `deno run --allow-net --allow-env redis_worker.ts JOB_ID` with `REDIS_URL` set
 * (`@redis/client` reads environment variables, hence `--allow-env`). The web process
 * (`redis_web.ts`) streams its log.
 */
import { JobLogger } from "../mod.ts";
import "../redis/mod.ts"; // registers store: "redis"

const url = Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379";
const jobId = Deno.args[0] ?? crypto.randomUUID();

await using logger = new JobLogger({ store: "redis", url, jobId });
logger.log("Starting…");
await logger.flush(); // the job now exists in Redis: any process can stream it
console.log(`started ${logger.jobId}`);
for (let step = 1; step <= 5; step++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  logger.log(`step ${step} of 5`, step === 5 ? "success" : "info");
}
// Leaving the block closes the job once every entry is in Redis.
