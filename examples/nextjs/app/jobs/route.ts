/** Next.js (app router): `app/jobs/route.ts` starts a job and answers its id. */
import { startJob } from "../../../demo_job.ts";

export function POST(request: Request): Response {
  return startJob(request).response;
}
