/** Small HTTP helpers shared by the responses and the handler. */

/** A JSON response with no caching. */
export function jsonResponse(status: number, body: string, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  h.set("Cache-Control", "no-store");
  return new Response(body, { status, headers: h });
}

/** A JSON error `{ "error": message }`; the message never echoes request input. */
export function errorResponse(status: number, message: string, headers?: HeadersInit): Response {
  return jsonResponse(status, JSON.stringify({ error: message }), headers);
}

/** Thrown for a malformed cursor; the handler answers 400 with its message. */
export class CursorError extends Error {
  override name = "CursorError";
}

const DIGITS = /^\d{1,15}$/;

/**
 * Reads an entry id given as text (`after`, `Last-Event-ID`): `undefined`
 * when absent or empty, else a non-negative integer, else a
 * {@linkcode CursorError} naming the parameter.
 */
export function parseCursor(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (!DIGITS.test(value)) {
    throw new CursorError(`${name} must be a non-negative integer entry id`);
  }
  return Number(value);
}
