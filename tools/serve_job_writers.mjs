// Runs one bundled module worker in workerd through Miniflare, on 127.0.0.1, with every kind of
// job writer the Durable Object store serves: the worker defines JobLogObject (bound as
// JOB_LOGS, SQLite storage) and JobRunner (bound as JOB_RUNNERS), produces to and consumes the
// queue "log-jobs" (bound as JOB_QUEUE), and runs the Workflow class LogJobWorkflow (bound as
// JOB_FLOW). JOB_WRITERS (default "queue,object,workflow") names the writers the worker has.
// A second worker, when given, reads the same JOB_LOGS namespace.
// Usage: node tools/serve_job_writers.mjs worker.mjs [reader.mjs]
// PORT (default 8787, 0 for a free one), WORKER_BINDINGS (a JSON object of string bindings) and
// QUEUE_MAX_RETRIES (default 1) come from the environment. Prints
// "Listening on <worker url> reader <reader url>" once ready; stops on SIGTERM or SIGINT.
import { Miniflare } from "miniflare";
import { disposeOnSignal } from "./dispose_on_signal.mjs";

const [workerPath, readerPath] = process.argv.slice(2);
if (!workerPath) {
  console.error(
    "usage: node tools/serve_job_writers.mjs worker.mjs [reader.mjs]",
  );
  process.exit(2);
}
const bindings = JSON.parse(process.env.WORKER_BINDINGS ?? "{}");
const direct = [{ host: "127.0.0.1", port: 0 }];
const kinds = (process.env.JOB_WRITERS ?? "queue,object,workflow").split(",");

const workers = [{
  name: "writers",
  modules: true,
  scriptPath: workerPath,
  compatibilityDate: "2025-07-18",
  bindings,
  durableObjects: {
    JOB_LOGS: { className: "JobLogObject", useSQLite: true },
    ...(kinds.includes("object")
      ? { JOB_RUNNERS: { className: "JobRunner", useSQLite: true } }
      : {}),
  },
  ...(kinds.includes("queue")
    ? {
      queueProducers: { JOB_QUEUE: { queueName: "log-jobs" } },
      queueConsumers: {
        "log-jobs": {
          maxBatchSize: 1,
          maxBatchTimeout: 0,
          maxRetries: Number(process.env.QUEUE_MAX_RETRIES ?? 1),
          retryDelay: 0,
        },
      },
    }
    : {}),
  ...(kinds.includes("workflow")
    ? {
      workflows: { JOB_FLOW: { name: "log-job", className: "LogJobWorkflow" } },
    }
    : {}),
  unsafeDirectSockets: direct,
}];
if (readerPath) {
  workers.push({
    name: "reader",
    modules: true,
    scriptPath: readerPath,
    compatibilityDate: "2025-07-18",
    bindings,
    durableObjects: {
      JOB_LOGS: {
        className: "JobLogObject",
        scriptName: "writers",
        useSQLite: true,
      },
    },
    unsafeDirectSockets: direct,
  });
}

const mf = new Miniflare({
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
  workers,
});
await mf.ready;
const url = async (name) =>
  (await mf.unsafeGetDirectURL(name)).href.replace(/\/$/, "");
console.log(
  `Listening on ${await url("writers")} reader ${
    readerPath ? await url("reader") : "none"
  }`,
);
disposeOnSignal(mf);
