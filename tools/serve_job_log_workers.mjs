// Runs two bundled module workers in workerd through Miniflare, on 127.0.0.1,
// sharing one namespace of Durable Objects with SQLite storage:
// the first ("writer") defines the class (JOB_LOGS_CLASS, default JobLogObject)
// and binds it as JOB_LOGS; the second ("reader"), when given, binds the same
// namespace through the first script's name.
// JOB_WRITERS (a comma-separated list, default none) gives the first worker the
// job writers it defines beside fetch: "object" (the Durable Object class
// JobRunner, bound as JOB_RUNNERS), "queue" (produces to and consumes the queue
// "log-jobs", bound as JOB_QUEUE; QUEUE_MAX_RETRIES, default 1) and "workflow"
// (the Workflow class LogJobWorkflow, bound as JOB_FLOW).
// Usage: node tools/serve_job_log_workers.mjs writer.mjs [reader.mjs]
// PORT (default 8787, 0 for a free one), WORKER_BINDINGS (a JSON object of
// string bindings, given to both) and DO_PERSIST (a directory that keeps the
// objects' storage across restarts; default: in memory) come from the
// environment. Prints
// "Listening on <writer url> reader <reader url>" once ready; stops on SIGTERM or SIGINT.
import { Miniflare } from "miniflare";
import { disposeOnSignal } from "./dispose_on_signal.mjs";

const [writerPath, readerPath] = process.argv.slice(2);
if (!writerPath) {
  console.error(
    "usage: node tools/serve_job_log_workers.mjs writer.mjs [reader.mjs]",
  );
  process.exit(2);
}
const className = process.env.JOB_LOGS_CLASS ?? "JobLogObject";
const bindings = JSON.parse(process.env.WORKER_BINDINGS ?? "{}");
const kinds = (process.env.JOB_WRITERS ?? "").split(",");
const direct = [{ host: "127.0.0.1", port: 0 }];

const durableObjects = { JOB_LOGS: { className, useSQLite: true } };
if (kinds.includes("object")) {
  durableObjects.JOB_RUNNERS = { className: "JobRunner", useSQLite: true };
}
const writer = {
  name: "writer",
  modules: true,
  scriptPath: writerPath,
  compatibilityDate: "2025-07-18",
  bindings,
  durableObjects,
  unsafeDirectSockets: direct,
};
if (kinds.includes("queue")) {
  writer.queueProducers = { JOB_QUEUE: { queueName: "log-jobs" } };
  writer.queueConsumers = {
    "log-jobs": {
      maxBatchSize: 1,
      maxBatchTimeout: 0,
      maxRetries: Number(process.env.QUEUE_MAX_RETRIES ?? 1),
      retryDelay: 0,
    },
  };
}
if (kinds.includes("workflow")) {
  writer.workflows = {
    JOB_FLOW: { name: "log-job", className: "LogJobWorkflow" },
  };
}
const workers = [writer];
if (readerPath) {
  workers.push({
    name: "reader",
    modules: true,
    scriptPath: readerPath,
    compatibilityDate: "2025-07-18",
    bindings,
    durableObjects: {
      JOB_LOGS: { className, scriptName: "writer", useSQLite: true },
    },
    unsafeDirectSockets: direct,
  });
}

const mf = new Miniflare({
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8787),
  durableObjectsPersist: process.env.DO_PERSIST || undefined,
  workers,
});
await mf.ready;
const url = async (name) =>
  (await mf.unsafeGetDirectURL(name)).href.replace(/\/$/, "");
console.log(
  `Listening on ${await url("writer")} reader ${
    readerPath ? await url("reader") : "none"
  }`,
);
disposeOnSignal(mf);
