/**
 * How long to wait before trying again after a retryable failure: doubling
 * waits with jitter (so many readers of one server do not retry in step),
 * never above a ceiling, and a server's `Retry-After` when it sends one.
 *
 * @module
 */

/** The longest wait between two attempts, in ms. */
export const CEILING_MS = 15_000;

/**
 * The wait before the next attempt after `failures` failures in a row:
 * `base × 2^(failures − 1)`, at most {@linkcode CEILING_MS}, then a random
 * point in its upper half.
 */
export function backoff(failures: number, base: number): number {
  const top = Math.min(CEILING_MS, base * 2 ** (failures - 1));
  return top / 2 + Math.random() * top / 2;
}

/**
 * A `Retry-After` header in ms (delay-seconds or an HTTP date), at most
 * {@linkcode CEILING_MS}; `undefined` when absent or unreadable.
 */
export function retryAfter(value: string | null): number | undefined {
  if (!value) return;
  const ms = /^\d+$/.test(value) ? Number(value) * 1_000 : Date.parse(value) - Date.now();
  return ms >= 0 ? Math.min(ms, CEILING_MS) : undefined;
}
