/**
 * Next.js (app router): `app/jobs/route.ts` starts a job and answers its id.
 * `demo_job.ts` sits at the root of the app.
 */
import { JobLogger } from "../../../../mod.ts";
import { startJob } from "../../../demo_job.ts";

export function POST(request: Request): Response {
  return startJob(request, () => new JobLogger()).response;
}
