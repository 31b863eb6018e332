/**
 * Test support: a job in its own process. Writes through
 * `new JobLogger({ store: "dynamo", table })` with the AWS settings from the
 * environment (the string form, as an app would), prints the job id once the
 * first entry is stored, waits for a line on stdin, logs the rest with short
 * pauses, closes, and prints "closed".
 *
 * Usage: deno run --allow-net=127.0.0.1 --allow-env --allow-read --allow-sys=osRelease dynamo_writer.ts TABLE COUNT
 */

import { JobLogger } from "../../mod.ts";
import "../../dynamo/mod.ts";

const [table, countText] = Deno.args;
const count = Number(countText);
const logger = new JobLogger({ store: "dynamo", table, ttlDays: 1 });
logger.log("entry 0");
await logger.flush();
console.log(logger.jobId);

const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
await reader.read();
for (let i = 1; i < count; i++) {
  if (i % 7 === 0) logger.emit("progress", { i, of: count });
  else logger.log(`entry ${i}`, i % 5 === 0 ? "success" : "info");
  if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}
await logger.close();
console.log("closed");
