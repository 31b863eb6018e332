/**
 * Test support: a job in its own process.
 *
 * `TABLE COUNT`: writes through `new JobLogger({ store: "dynamo", table })`
 * with the AWS settings from the environment (the string form, as an app
 * would), prints the job id once the first entry is stored, waits for a line
 * on stdin, logs the rest with short pauses, closes, and prints "closed".
 *
 * `TABLE commands LEASE_MS`: a `DynamoStore` with that lease; prints the job
 * id once its first entry is stored, then runs one command per stdin line
 * and prints what it did:
 * - `log A B`: logs "entry A" to "entry B-1", waits until stored: "stored B"
 * - `result BYTES`: sets a result of about BYTES bytes: "result set"
 * - `close [STATUS MESSAGE...]`: closes (with that outcome): "closed"
 * - a cancel requested from anywhere prints "cancelled" when `logger.signal` aborts.
 *
 * Usage: deno run --allow-net=127.0.0.1 --allow-env --allow-read --allow-sys=osRelease dynamo_writer.ts TABLE COUNT
 */

import { JobLogger, type OutcomeStatus } from "../../mod.ts";
import { DynamoStore } from "../../dynamo/mod.ts";

const [table, mode, leaseText] = Deno.args;
const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let buffer = "";

async function nextLine(): Promise<string | undefined> {
  for (let i = 0; i < 100_000; i++) {
    const cut = buffer.indexOf("\n");
    if (cut >= 0) {
      const line = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 1);
      return line;
    }
    const { done, value } = await lines.read();
    if (done) return undefined;
    buffer += value;
  }
}

/** A result value of about `bytes` bytes, the same in every process. */
export function bigResult(bytes: number): { rows: string[] } {
  return { rows: Array.from({ length: Math.ceil(bytes / 100) }, (_, i) => `${i}`.padEnd(96, "r")) };
}

if (import.meta.main && mode !== "commands") {
  const count = Number(mode);
  const logger = new JobLogger({ store: "dynamo", table, ttlDays: 1 });
  logger.log("entry 0");
  await logger.flush();
  console.log(logger.jobId);
  await nextLine();
  for (let i = 1; i < count; i++) {
    if (i % 7 === 0) logger.emit("checkpoint", { i, of: count });
    else logger.log(`entry ${i}`, i % 5 === 0 ? "success" : "info");
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await logger.close();
  console.log("closed");
} else if (import.meta.main) {
  const store = new DynamoStore({
    table,
    leaseMs: Number(leaseText),
    pollMs: 50,
    batchMs: 10,
  });
  const logger = new JobLogger({ store });
  logger.log("entry 0");
  await logger.flush();
  logger.signal.addEventListener("abort", () => console.log("cancelled"));
  console.log(logger.jobId);
  for (let i = 0; i < 10_000; i++) {
    const line = await nextLine();
    if (line === undefined) break;
    const [command, ...args] = line.split(" ");
    if (command === "log") {
      const [from, to] = args.map(Number);
      for (let id = from; id < to; id++) logger.log(`entry ${id}`);
      await logger.flush();
      console.log(`stored ${to}`);
    } else if (command === "result") {
      await logger.setResult(bigResult(Number(args[0])));
      console.log("result set");
    } else if (command === "close") {
      const [status, ...message] = args;
      // With no status, close() records "cancelled" when a cancel came, else "ok".
      await logger.close(
        status === undefined ? undefined : {
          status: status as OutcomeStatus,
          ...(message.length > 0 ? { message: message.join(" ") } : {}),
        },
      );
      console.log("closed");
      break;
    }
  }
  await lines.cancel();
  store.dispose();
}
