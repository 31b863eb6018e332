// npm smoke test, run by tests/npm_smoke_test.ts in a scratch project where the
// packed `streamator` tarball and @hono/node-server are installed: a Node
// server streams a job through the adapter and a client reads it over HTTP.
// Prints one JSON line: what the client read.
import { startJobServer } from "./job_server.mjs";
import { createLogStream } from "streamator/client";

const deadline = setTimeout(() => {
  console.error("smoke test timed out");
  process.exit(1);
}, 20_000);

const { base, close } = await startJobServer(async (logger) => {
  for (const step of ["fetching", "parsing"]) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    logger.log(step);
  }
  logger.emit("saved", { rows: 3 });
  logger.log("Done", "success");
  await logger.close();
}, { heartbeatMs: 100 });

const { log_job_id } = await (await fetch(`${base}/start`)).json();
const response = await fetch(`${base}/log/${log_job_id}/stream`);
let text = "";
const decoder = new TextDecoder();
for await (const chunk of response.body) {
  text += decoder.decode(chunk, { stream: true });
}
const events = text.split("\n\n").flatMap((block) =>
  block.split("\n").filter((line) => line.startsWith("data: ")).map((line) =>
    JSON.parse(line.slice(6))
  )
);
const snapshot = await (await fetch(`${base}/log/${log_job_id}`)).json();

// The same job again, read by the client without React.
const { log_job_id: again } = await (await fetch(`${base}/start`)).json();
const stream = createLogStream(`${base}/log/${again}/stream`);
const client = await new Promise((resolve) => {
  stream.subscribe(() => {
    const { status, logs, outcome, error } = stream.getSnapshot();
    if (status === "done" || status === "error") {
      resolve({
        status,
        texts: logs.map((entry) => entry.text),
        outcome,
        error: error?.message,
      });
    }
  });
});
stream.close();
console.log(JSON.stringify({
  node: process.version,
  contentType: response.headers.get("content-type"),
  events,
  snapshot,
  client,
}));
clearTimeout(deadline);
close();
