/**
 * What an answer means for the log stream: a failure is retryable (5xx,
 * 408, 429, with the server's `Retry-After`) or not (any other 4xx, a wrong
 * content type), and its message names the url and the cause.
 *
 * @module
 */
import { retryAfter } from "./backoff.ts";
import { inWords, reason } from "./request.ts";

/**
 * An Error the log stream retries when `retryable` (after `wait` ms, if
 * given), and stops on otherwise. `status` is the HTTP status that caused
 * it, if one did.
 */
export type Failure = Error & { retryable: boolean; wait?: number; status?: number };

/**
 * Makes a {@linkcode Failure}.
 */
export const fault = (
  message: string,
  { retryable, wait, status }: { retryable: boolean; wait?: number; status?: number },
): Failure => Object.assign(new Error(message), { retryable, wait, status });

/** Statuses that say "later", not "no": retried, as network failures are. */
const RETRYABLE_4XX = [408, 429];

/**
 * Returns `response` when it can be read: a 2xx of the mode's content type
 * (`text/event-stream` for `sse`, else JSON), or a 204. Else throws a
 * {@linkcode Failure} naming `url` and what it answered.
 */
export async function check(
  response: Response,
  url: string,
  sse: boolean,
): Promise<Response> {
  const { status, headers } = response;
  const got = headers.get("Content-Type");
  if (status > 299) {
    throw fault(`${url} answered ${status}${await reason(response)}`, {
      retryable: status >= 500 || RETRYABLE_4XX.includes(status),
      wait: retryAfter(headers.get("Retry-After")),
      status,
    });
  }
  const want = sse ? "text/event-stream" : "json";
  if (status !== 204 && got?.includes(want) !== true) {
    throw fault(
      `${url} answered ${got || "no content type"}, not ${sse ? "text/event-stream" : "JSON"}`,
      { retryable: false },
    );
  }
  return response;
}

/**
 * The {@linkcode Failure} for a body that could not be read to its end (the
 * connection dropped): retried, naming `url`, with the runtime's words for it.
 */
export function dropped(url: string, error: unknown): Failure {
  return fault(`${url} dropped the connection while sending the log (${inWords(error)})`, {
    retryable: true,
  });
}
