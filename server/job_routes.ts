/** The handler's job routes beside the log: `{jobId}/result` and `{jobId}/cancel`. */
import { errorResponse } from "./http.ts";
import { isJobId } from "./job_id.ts";
import { makeCancelResponse } from "./cancel_response.ts";
import { makeResultResponse } from "./result_response.ts";
import type { Store } from "./store.ts";

/**
 * What a request does to a job, as `authorize` is told: `"read"` (its log
 * and its result) or `"cancel"`.
 *
 * @example
 * ```ts
 * import type { JobAction } from "@streamator/core";
 * const action: JobAction = "cancel";
 * ```
 */
export type JobAction = "read" | "cancel";

/** What a job route needs from the handler. */
export interface JobRouteContext {
  store: Store;
  /** CORS headers for this request. */
  headers: Headers;
  /** Whether the handler allows cross-origin requests (for `Allow`). */
  cors: boolean;
  /** Whether `authorize` lets the request do `action`. */
  allowed(action: JobAction): boolean | Promise<boolean>;
}

/** A job route: the method it takes, the action it is, and its response. */
export interface JobRoute {
  respond(request: Request, jobId: string, context: JobRouteContext): Promise<Response>;
}

const ROUTES: Record<
  string,
  { methods: string[]; action: JobAction; make: typeof makeResultResponse }
> = {
  result: { methods: ["GET", "HEAD"], action: "read", make: makeResultResponse },
  cancel: { methods: ["POST"], action: "cancel", make: makeCancelResponse },
};

/** The route for the path segment after the job id (`"result"`, `"cancel"`), if it is one. */
export function jobRoute(name: string): JobRoute | undefined {
  const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
  if (route === undefined) return undefined;
  return {
    async respond(request, jobId, { store, headers, cors, allowed }) {
      if (!route.methods.includes(request.method)) {
        const allow = [...route.methods, ...(cors ? ["OPTIONS"] : [])].join(", ");
        headers.set("Allow", allow);
        return errorResponse(405, `method not allowed; use ${allow}`, headers);
      }
      if (!isJobId(jobId)) return errorResponse(404, "unknown job", headers);
      if (!(await allowed(route.action))) return errorResponse(403, "forbidden", headers);
      const response = await route.make(jobId, { store, headers });
      if (request.method !== "HEAD") return response;
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    },
  };
}
