// Test support: the entry of the job writers' Worker (tests/support/job_writers_worker.ts),
// with its Workflow class, which must extend the runtime's WorkflowEntrypoint (a module only
// workerd has: the bundle leaves "cloudflare:workers" as an import).
import { WorkflowEntrypoint } from "cloudflare:workers";
import { runWorkflow } from "./job_writers_worker.ts";

export { default, JobLogObject, JobRunner } from "./job_writers_worker.ts";

export class LogJobWorkflow extends WorkflowEntrypoint {
  run(event, step) {
    return runWorkflow(this.env, event, step);
  }
}
