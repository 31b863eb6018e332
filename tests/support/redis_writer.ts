/**
 * Test support: a job in its own process, writing to Redis.
 *
 * `URL COUNT LEASE_MS EVERY PAUSE_MS [MAX_UNSTORED]`: logs "entry 0" through a
 * `RedisStore` with that lease and `maxUnstored` (`LEASE_MS` = `shared`: through
 * `new JobLogger({ store: "redis", url })`, as an app would), prints the job
 * id once it is stored, waits for a line on stdin, then logs "entry 1" to
 * "entry COUNT-1", pausing `PAUSE_MS` after every `EVERY` entries, closes, and
 * prints "closed". A cancel prints "cancelled". Every 500 ms it prints
 * `unstored N` (entries waiting for Redis) to stderr.
 *
 * Usage: deno run --allow-net=127.0.0.1 --allow-env --allow-read --allow-sys redis_writer.ts URL COUNT LEASE_MS EVERY PAUSE_MS
 */

import { JobLogger } from "../../mod.ts";
import { RedisStore } from "../../redis/mod.ts";
import { spawnWriterProcess, type WriterProcess } from "./writer_process.ts";

const WRITER = new URL("./redis_writer.ts", import.meta.url).pathname;

if (import.meta.main) {
  const [url, countText, leaseText, everyText, pauseText, maxUnstored] = Deno.args;
  const store = leaseText === "shared" ? "redis" as const : new RedisStore({
    url,
    leaseMs: Number(leaseText),
    maxUnstored: maxUnstored === undefined ? undefined : Number(maxUnstored),
  });
  const logger = new JobLogger({ store, url });
  const every = Number(everyText);
  const pause = Number(pauseText);
  logger.signal.addEventListener("abort", () => console.log("cancelled"));
  setInterval(() => {
    console.error(`unstored ${(logger.store as RedisStore).unstored}`);
  }, 500);
  logger.log("entry 0");
  await logger.flush();
  console.log(logger.jobId);
  const input = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  await input.read();
  for (let i = 1; i < Number(countText); i++) {
    logger.log(`entry ${i}`);
    if (i % every === 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  await logger.close();
  console.log("closed");
  Deno.exit(0);
}

/** A writer process. `await using` kills it. */
export interface RedisWriter extends WriterProcess {
  /** Lets the job log the rest of its entries. */
  go(): Promise<void>;
}

/** Starts a writer process; resolves once its first entry is in Redis. */
export async function spawnRedisWriter(
  url: string,
  count: number,
  leaseMs: number | "shared",
  every = 100,
  pauseMs = 1,
  maxUnstored?: number,
): Promise<RedisWriter> {
  const permissions = ["--allow-net=127.0.0.1", "--allow-env", "--allow-read", "--allow-sys"];
  const args = [url, String(count), String(leaseMs), String(every), String(pauseMs)];
  if (maxUnstored !== undefined) args.push(String(maxUnstored));
  const writer = await spawnWriterProcess(WRITER, permissions, args);
  return { ...writer, go: () => writer.send("go") };
}
