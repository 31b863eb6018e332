import { isJobId } from "./job_id.ts";
import { CursorError, errorResponse } from "./http.ts";
import { positiveNumber } from "./number_option.ts";
import { defaultStore } from "./default_store.ts";
import { type JobAction, jobRoute } from "./job_routes.ts";
import type { Store } from "./store.ts";

/**
 * Decides whether a request may act on a job: `action` is `"read"` (the log
 * and the result) or `"cancel"`. Return `true` to allow, `false` (or throw)
 * to answer 403, or a `Response` to send it as it is: a 401 with
 * `WWW-Authenticate` when a token expired (the browser client stops with that
 * status, and its `retry()` asks `headers` again), or a redirect to a login
 * page. The handler's CORS headers are added to it. A function that ignores
 * `action` decides both alike.
 *
 * @example A viewer may read; only the owner may cancel
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Authorize } from "@streamator/core";
 * const authorize: Authorize = (request, _jobId, action) =>
 *   action === "read" || request.headers.get("Authorization") === "Bearer owner-token";
 * const viewer = new Request("http://localhost/log/job-1/cancel", { method: "POST" });
 * assert.equal(await authorize(viewer, "job-1", "read"), true);
 * assert.equal(await authorize(viewer, "job-1", "cancel"), false);
 * ```
 *
 * @example A 401 that tells the client to refresh its token
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Authorize } from "@streamator/core";
 * const authorize: Authorize = (request) =>
 *   request.headers.get("Authorization") === "Bearer fresh-token" ||
 *   new Response("token expired", {
 *     status: 401,
 *     headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
 *   });
 * const stale = new Request("http://localhost/log/job-1", { headers: { Authorization: "Bearer old" } });
 * const answer = await authorize(stale, "job-1", "read");
 * assert.equal(answer instanceof Response && answer.status, 401);
 * ```
 */
export type Authorize = (
  request: Request,
  jobId: string,
  action: JobAction,
) => boolean | Response | Promise<boolean | Response>;

/** Options of {@linkcode createLogHandler}. */
export interface LogHandlerOptions {
  /** The path the routes live under. Default `"/log"`. */
  prefix?: string;
  /** Where jobs are read from; default {@linkcode defaultStore}. */
  store?: Store;
  /** Access control per request and job; default: everyone may read a job whose id they know. */
  authorize?: Authorize;
  /**
   * Cross-origin reading, off by default: `true` or `"*"` for any origin, an
   * origin such as `"https://app.example"`, or a list of origins.
   */
  cors?: boolean | string | string[];
  /** Idle ms between heartbeat comments on a stream. Default 5,000. */
  heartbeatMs?: number;
  /** Reconnection delay suggested to `EventSource`, in ms. Default 1,000. */
  retryMs?: number;
}

/**
 * A Web-standard handler: a `Response` for its own routes, `null` for any
 * other path, so it composes with the rest of an app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, type LogHandler } from "@streamator/core";
 * const fallback = (_request: Request) => new Response("not found", { status: 404 });
 * function compose(logs: LogHandler) {
 *   return async (request: Request) => (await logs(request)) ?? fallback(request);
 * }
 * const app = compose(createLogHandler({ prefix: "/log" }));
 * assert.equal((await app(new Request("http://localhost/other"))).status, 404);
 * ```
 */
export type LogHandler = (request: Request) => Promise<Response | null>;

/**
 * The log routes, as one Web-standard function for any runtime:
 *
 * - `GET {prefix}/{jobId}/stream`: Server-Sent Events ({@linkcode makeStreamResponse});
 *   resumes after the `Last-Event-ID` header (an empty one counts as none) or
 *   the `?lastEventId=` query; 204 once the client has the job's end.
 * - `GET {prefix}/{jobId}`: `{ logs, done, next }` ({@linkcode makeSnapshotResponse});
 *   `?from=N` returns entries with ids from N on (send `next` back as `from`),
 *   `?after=N` those after N.
 * - `GET {prefix}/{jobId}/result`: the job's result (`makeResultResponse`).
 * - `POST {prefix}/{jobId}/cancel`: asks the job to stop (`makeCancelResponse`).
 *
 * The request's `signal` is passed on: when it aborts (the client left), the
 * stream stops at once. Answers 404 for an unknown or malformed job id, 400
 * for a malformed cursor, both `from` and `after`, or a cursor past the end
 * of a running job, 403 when `authorize` refuses (or its `Response`), 405 for other methods, and
 * `null` for paths that are not its own.
 *
 * @example A `fetch` handler (served as it is by `deno serve`, Bun and Cloudflare Workers)
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * const logs = createLogHandler({ prefix: "/log" });
 * const app = {
 *   async fetch(request: Request): Promise<Response> {
 *     if (new URL(request.url).pathname === "/start") {
 *       const logger = new JobLogger();
 *       logger.log("Starting…");
 *       return Response.json({ log_job_id: logger.jobId });
 *     }
 *     return (await logs(request)) ?? new Response("not found", { status: 404 });
 *   },
 * }; // served as it is as the module's `export default`
 *
 * const { log_job_id } = await (await app.fetch(new Request("http://localhost/start"))).json();
 * const snapshot = await app.fetch(new Request(`http://localhost/log/${log_job_id}`));
 * assert.equal((await snapshot.json()).logs[0].message, "Starting…");
 * assert.equal((await app.fetch(new Request("http://localhost/other"))).status, 404);
 * ```
 */
export function createLogHandler(options: LogHandlerOptions = {}): LogHandler {
  const prefix = normalizePrefix(options.prefix ?? "/log");
  const { store = defaultStore, authorize, heartbeatMs, retryMs } = options;
  if (heartbeatMs !== undefined) {
    positiveNumber(heartbeatMs, "createLogHandler: options.heartbeatMs");
  }
  if (retryMs !== undefined && !(Number.isInteger(retryMs) && retryMs >= 0)) {
    throw new TypeError(
      `createLogHandler: options.retryMs must be a non-negative integer, got ${String(retryMs)}`,
    );
  }
  const corsFor = corsPolicy(options.cors);
  const context = { store, heartbeatMs, retryMs };

  return async (request: Request): Promise<Response | null> => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (!path.startsWith(prefix + "/")) return null;
    const parts = path.slice(prefix.length + 1).split("/");
    // {jobId} is the snapshot ("" route); {jobId}/{name} one of the others.
    const name = parts.length === 1 ? "" : parts.length === 2 && parts[1] !== "" ? parts[1] : null;
    const route = name === null ? undefined : jobRoute(name);
    if (route === undefined) return null;

    const headers = corsFor(request.headers.get("Origin"));
    if (request.method === "OPTIONS" && options.cors) {
      headers.set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
      headers.set(
        "Access-Control-Allow-Headers",
        "Last-Event-ID, Cache-Control, Authorization, Content-Type",
      );
      headers.set("Access-Control-Max-Age", "600");
      return new Response(null, { status: 204, headers });
    }
    if (!route.methods.includes(request.method)) {
      const allow = [...route.methods, ...(options.cors ? ["OPTIONS"] : [])].join(", ");
      headers.set("Allow", allow);
      return errorResponse(405, `method not allowed; use ${allow}`, headers);
    }

    const jobId = parts[0];
    if (!isJobId(jobId)) return errorResponse(404, "unknown job", headers);
    if (authorize !== undefined) {
      const verdict = await decide(authorize, request, jobId, route.action);
      if (verdict instanceof Response) return withHeaders(verdict, headers);
      if (!verdict) return errorResponse(403, "forbidden", headers);
    }

    let response: Response;
    try {
      response = await route.respond(jobId, request, url, { ...context, headers });
    } catch (error) {
      if (error instanceof CursorError) return errorResponse(400, error.message, headers);
      throw error;
    }
    if (request.method === "HEAD") {
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    }
    return response;
  };
}

/** `authorize`'s answer: `true` allows, a `Response` is sent, anything else (or a throw) refuses. */
async function decide(
  authorize: Authorize,
  request: Request,
  jobId: string,
  action: JobAction,
): Promise<boolean | Response> {
  try {
    const verdict = await authorize(request, jobId, action);
    return verdict instanceof Response ? verdict : verdict === true;
  } catch (error) {
    console.error("streamator: authorize threw; answering 403", error);
    return false;
  }
}

/**
 * `response` with `extra` headers (CORS) added where it has none of its own.
 * A new `Response` over the same body: the given one's headers may be
 * immutable (`Response.redirect`).
 */
function withHeaders(response: Response, extra: Headers): Response {
  if ([...extra.keys()].length === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of extra) if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function normalizePrefix(prefix: string): string {
  if (typeof prefix !== "string" || !prefix.startsWith("/")) {
    throw new TypeError(`createLogHandler: options.prefix must be a path starting with "/"`);
  }
  return prefix.replace(/\/+$/, "");
}

function corsPolicy(cors: LogHandlerOptions["cors"]): (origin: string | null) => Headers {
  if (cors === undefined || cors === false) return () => new Headers();
  if (cors === true || cors === "*") {
    return () => new Headers({ "Access-Control-Allow-Origin": "*" });
  }
  const origins = typeof cors === "string" ? [cors] : cors;
  if (!Array.isArray(origins) || origins.some((o) => typeof o !== "string")) {
    throw new TypeError(
      "createLogHandler: options.cors must be true, false, an origin string or a list of origins",
    );
  }
  return (origin) => {
    const headers = new Headers({ Vary: "Origin" });
    if (origin !== null && origins.includes(origin)) {
      headers.set("Access-Control-Allow-Origin", origin);
    }
    return headers;
  };
}
