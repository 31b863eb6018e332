/**
 * What an answer means for the log stream: a failure is definite (stop:
 * 4xx, a wrong content type) or passing (retry: 5xx, 408, 429, with the
 * server's `Retry-After`), and its message names the url and the cause.
 *
 * @module
 */
import { retryAfter } from "./backoff.ts";
import { reason } from "./request.ts";

/** An Error that stops the stream when `definite`; else it is retried, after `wait` ms if given. */
export type Failure = Error & { definite?: unknown; wait?: number };

/**
 * Makes a {@linkcode Failure}.
 *
 * @example
 * ```ts
 * import { fault } from "./response_check.ts";
 * throw fault("/log/abc/stream answered 404: unknown job", 1);
 * ```
 */
export const fault = (message: string, definite?: unknown, wait?: number): Failure =>
  Object.assign(Error(message), { definite, wait });

/**
 * Returns `response` when it can be read: a 2xx of the mode's content type
 * (`text/event-stream` for `sse`, else JSON), or a 204. Else throws a
 * {@linkcode Failure} naming `url` and what it answered.
 *
 * @example
 * ```ts
 * import { check } from "./response_check.ts";
 * const response = new Response("<p>app</p>", { headers: { "Content-Type": "text/html" } });
 * await check(response, "/log/abc", false).catch((e) => e.message);
 * // "/log/abc answered text/html, not JSON"
 * ```
 */
export async function check(
  response: Response,
  url: string,
  sse: boolean,
): Promise<Response> {
  const { status, headers } = response;
  const got = headers.get("Content-Type");
  if (status > 299) {
    throw fault(
      `${url} answered ${status}${await reason(response)}`,
      status < 500 && status != 429 && status != 408,
      retryAfter(headers.get("Retry-After")),
    );
  }
  if (status != 204 && !got?.includes(sse ? "text/event-stream" : "json")) {
    throw fault(
      `${url} answered ${got || "no content type"}, not ${sse ? "text/event-stream" : "JSON"}`,
      1,
    );
  }
  return response;
}
