/**
 * The handler's routes under `{prefix}/{jobId}`: the snapshot, the stream,
 * the result and cancel. Each says which methods it takes and which action
 * `authorize` is asked about; the handler runs every route through the same
 * checks (method, job id, `authorize`, cursor errors, `HEAD`).
 */
import { CursorError, parseCursor } from "./http.ts";
import { makeCancelResponse } from "./cancel_response.ts";
import { makeResultResponse } from "./result_response.ts";
import { makeSnapshotResponse } from "./snapshot_response.ts";
import { clientSignal } from "./client_signal.ts";
import { makeStreamResponse } from "./stream_response.ts";
import type { Store } from "./store.ts";

/**
 * What a request does to a job, as `authorize` is told: `"read"` (its log
 * and its result) or `"cancel"`.
 */
export type JobAction = "read" | "cancel";

/** What a route's response needs from the handler. */
export interface RouteContext {
  store: Store;
  /** CORS headers for this request. */
  headers: Headers;
  heartbeatMs?: number;
  retryMs?: number;
}

/** One route: the methods it takes, the action it is, and its response. */
export interface JobRoute {
  methods: readonly string[];
  action: JobAction;
  respond(jobId: string, request: Request, url: URL, context: RouteContext): Promise<Response>;
}

const READ = ["GET", "HEAD"];

const ROUTES: Record<string, JobRoute> = {
  // GET {prefix}/{jobId}: the snapshot.
  "": {
    methods: READ,
    action: "read",
    respond: (jobId, _request, url, { store, headers }) =>
      makeSnapshotResponse(jobId, { store, headers, ...snapshotCursor(url.searchParams) }),
  },
  stream: {
    methods: READ,
    action: "read",
    respond: (jobId, request, url, { store, headers, heartbeatMs, retryMs }) =>
      makeStreamResponse(jobId, {
        store,
        heartbeatMs,
        retryMs,
        headers,
        signal: clientSignal(request),
        lastEventId: lastEventIdOf(request, url.searchParams),
      }),
  },
  result: {
    methods: READ,
    action: "read",
    respond: (jobId, _request, _url, { store, headers }) =>
      makeResultResponse(jobId, { store, headers }),
  },
  cancel: {
    methods: ["POST"],
    action: "cancel",
    respond: (jobId, _request, _url, { store, headers }) =>
      makeCancelResponse(jobId, { store, headers }),
  },
};

/** The route for the path segment after the job id (`""` for none), if it is one. */
export function jobRoute(name: string): JobRoute | undefined {
  return Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
}

/**
 * The stream's cursor: the `Last-Event-ID` header, else `?lastEventId=`. An
 * empty header (some clients send one before the first event) counts as none.
 */
function lastEventIdOf(request: Request, query: URLSearchParams): number | undefined {
  const header = request.headers.get("Last-Event-ID")?.trim();
  if (header !== undefined && header !== "") return parseCursor(header, "Last-Event-ID");
  return parseCursor(query.get("lastEventId"), "lastEventId");
}

/** The snapshot's cursor: `?from=N` (ids >= N) or `?after=N` (ids > N), not both. */
function snapshotCursor(query: URLSearchParams): { from?: number; after?: number } {
  const from = parseCursor(query.get("from"), "from");
  const after = parseCursor(query.get("after"), "after");
  if (from !== undefined && after !== undefined) {
    throw new CursorError("pass from or after, not both");
  }
  return from !== undefined ? { from } : { after };
}
