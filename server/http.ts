/** Small HTTP helpers shared by the responses and the handler. */

/**
 * Extra response headers: a `Headers`, a plain object, or name/value pairs.
 * A structural type, so it reads the same on every runtime's type definitions.
 */
export type HeaderFields =
  | Record<string, string>
  | Iterable<readonly [string, string]>;

/** A new `Headers` holding `extra`. */
export function toHeaders(extra: HeaderFields | undefined): Headers {
  const headers = new Headers();
  if (extra === undefined || extra === null) return headers;
  if (extra instanceof Headers) {
    extra.forEach((value, name) => headers.append(name, value));
  } else if (typeof (extra as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [name, value] of extra as Iterable<readonly [string, string]>) {
      headers.append(name, value);
    }
  } else {
    for (const [name, value] of Object.entries(extra)) headers.append(name, value);
  }
  return headers;
}

/** A JSON response with no caching. */
export function jsonResponse(status: number, body: string, headers?: HeaderFields): Response {
  const h = toHeaders(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  h.set("Cache-Control", "no-store");
  return new Response(body, { status, headers: h });
}

/** A JSON error `{ "error": message }`; the message never echoes request input. */
export function errorResponse(status: number, message: string, headers?: HeaderFields): Response {
  return jsonResponse(status, JSON.stringify({ error: message }), headers);
}

/** The 503 answer when the store cannot be read or written: the client may try again. */
export function unavailableResponse(headers?: HeaderFields): Response {
  return errorResponse(503, "the log store is unavailable; try again", headers);
}

/** Thrown for a malformed or impossible cursor; the handler answers 400 with its message. */
export class CursorError extends Error {
  override name = "CursorError";
}

const DIGITS = /^\d{1,15}$/;

/**
 * Reads an entry id given as text (`from`, `after`, `Last-Event-ID`):
 * `undefined` when absent or empty, else a non-negative integer, else a
 * {@linkcode CursorError} naming the parameter.
 */
export function parseCursor(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (!DIGITS.test(value)) {
    throw new CursorError(`${name} must be a non-negative integer entry id`);
  }
  return Number(value);
}
