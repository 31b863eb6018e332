/**
 * The signal that tells a stream its client left: `request.signal`, except
 * for a request from Deno's own server (`Deno.serve`, `deno serve`).
 *
 * Deno's server cancels the response body when the client leaves, which stops
 * the stream on its own. Reading `request.signal` there would make Deno print
 * its legacy-abort notice and build one more `AbortSignal` per subscriber.
 * Those requests are told apart by their headers, which Deno's server makes
 * immutable; a `Request` built by a bridge (such as a hand-written `node:http`
 * one, also under Deno) has mutable headers and may only abort its signal, so
 * its signal is kept.
 */
export function clientSignal(request: Request): AbortSignal | undefined {
  if (ON_DENO && hasImmutableHeaders(request)) return undefined;
  return request.signal;
}

const ON_DENO = typeof (globalThis as { Deno?: { serve?: unknown } }).Deno?.serve === "function";

/** A header name no request carries: deleting it changes nothing, and throws only if immutable. */
const PROBE = "x-streamator-probe";

function hasImmutableHeaders(request: Request): boolean {
  try {
    request.headers.delete(PROBE);
    return false;
  } catch {
    return true;
  }
}
