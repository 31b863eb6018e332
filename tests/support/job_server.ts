/**
 * Test support: a real log handler (`createLogHandler` over its own
 * `MemoryStore`) served on 127.0.0.1, with a record of the requests it got
 * and a way to cut the open streams, as a dropped network would.
 */
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";
import { serve, type TestServer } from "./serve.ts";

/** What the server saw of one request. */
export interface Seen {
  path: string;
  search: URLSearchParams;
  lastEventId: string | null;
}

/** A served handler and its store. */
export interface JobServer extends AsyncDisposable {
  url: string;
  store: MemoryStore;
  requests: Seen[];
  /** Requests under way right now. */
  inFlight(): number;
  /** The most requests ever under way at once. */
  maxInFlight(): number;
  /** Ends every stream response open now, without the end event. */
  cutStreams(): void;
  /** A new job in this server's store. */
  job(): JobLogger;
  /** `{url}/log/{id}/stream` */
  streamUrl(jobId: string): string;
  /** `{url}/log/{id}` */
  pollUrl(jobId: string): string;
}

/**
 * Options: `ignoreLastEventId` replays every stream from the start, as a
 * careless server would; `maxEntries` caps the store per job.
 */
export function startJobServer(
  options: { ignoreLastEventId?: boolean; maxEntries?: number } = {},
): JobServer {
  const store = new MemoryStore({ maxEntries: options.maxEntries });
  const handler = createLogHandler({ store, retryMs: 50, heartbeatMs: 1_000 });
  const requests: Seen[] = [];
  const cuts = new Set<() => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server: TestServer = serve(async (request) => {
    const url = new URL(request.url);
    requests.push({
      path: url.pathname,
      search: url.searchParams,
      lastEventId: request.headers.get("Last-Event-ID"),
    });
    if (options.ignoreLastEventId) {
      const headers = new Headers(request.headers);
      headers.delete("Last-Event-ID");
      request = new Request(request.url, { headers, signal: request.signal });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let response: Response | null;
    try {
      response = await handler(request);
    } finally {
      inFlight--;
    }
    if (response === null || response.body === null || !url.pathname.endsWith("/stream")) {
      return response;
    }
    return new Response(cuttable(response.body, cuts), response);
  });
  return {
    url: server.url,
    store,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    cutStreams() {
      for (const cut of [...cuts]) cut();
    },
    job: () => new JobLogger({ store }),
    streamUrl: (jobId) => `${server.url}/log/${jobId}/stream`,
    pollUrl: (jobId) => `${server.url}/log/${jobId}`,
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

function cuttable(
  body: ReadableStream<Uint8Array>,
  cuts: Set<() => void>,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  let cut: () => void;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      cut = () => {
        if (ended) return;
        ended = true;
        cuts.delete(cut);
        reader.cancel().catch(() => {});
        controller.close();
      };
      cuts.add(cut);
    },
    async pull(controller) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (ended) return;
      if (done) {
        ended = true;
        cuts.delete(cut);
        controller.close();
      } else {
        controller.enqueue(value);
      }
    },
    cancel() {
      ended = true;
      cuts.delete(cut);
      return reader.cancel();
    },
  });
}
