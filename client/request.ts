/**
 * One request as every part of the browser side sends it: the caller's
 * `headers` (an object, or a function called now, maybe async, so a token
 * can be refreshed), `credentials` and `fetch`, never from the HTTP cache.
 *
 * @module
 */
import type { LogStreamOptions } from "./stream_types.ts";

/**
 * The options a request takes from `useLogStream` / `useJob`: `headers`,
 * `credentials` and `fetch`.
 */
export type RequestOptions = Pick<LogStreamOptions, "headers" | "credentials" | "fetch">;

/**
 * Sends a request to `url` with the options' headers (then those `set` adds),
 * credentials and fetch. A network failure, or a `headers` function that
 * throws, is thrown as an Error naming the url.
 */
export async function send(
  url: string,
  { headers, credentials, fetch: get = fetch }: RequestOptions,
  init?: RequestInit,
  set?: (headers: Headers) => void,
): Promise<Response> {
  let h: Headers;
  try {
    // A RequestHeaders is a HeadersInit (pairs given as any iterable, as the Fetch standard takes them).
    h = new Headers((typeof headers === "function" ? await headers() : headers) as HeadersInit);
  } catch (e) {
    throw new Error(`options.headers failed for ${url}: ${inWords(e)}`);
  }
  set?.(h);
  try {
    return await get(url, { ...init, headers: h, credentials, cache: "no-store" });
  } catch (e) {
    throw new Error(`${url} could not be reached: ${inWords(e)}`);
  }
}

/**
 * `": message"` from a JSON `{ "error": message }` body (the handler's
 * error answers), else `""`.
 */
export const reason = (response: Response): Promise<string> =>
  response.json().then(
    (body) => typeof body?.error === "string" ? `: ${body.error}` : "",
    () => "",
  );

/**
 * What went wrong, in the runtime's words: an error's message, and its
 * cause's when it has one (Node and Deno's `fetch failed` keeps the reason
 * there: a refused connection, a DNS failure).
 */
export function inWords(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause } = error;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
