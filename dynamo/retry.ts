/**
 * The DynamoDB store's one retry layer. The client the store makes sends
 * each request once (`maxAttempts: 1`); every retry happens here:
 *
 * - **Writes** (the background write loop) retry without end, with
 *   exponential backoff and jitter ({@linkcode backoff}: a random wait in
 *   [c/2, c] where c doubles from 100 ms to 5 s). Each failed attempt reaches
 *   `onError` at once, so the worst case before `onError` is one request
 *   (`requestTimeoutMs`); `flush()`/`close()` reject at the first failure
 *   `failAfterMs` after they were called (within `failAfterMs` + 5 s + one
 *   request).
 * - **Reads** ({@linkcode retryRead}) try at most {@linkcode READ_ATTEMPTS}
 *   times, with the same jittered backoff from 50 ms, then throw (the stream
 *   waits a heartbeat and reads again; a new request answers 503). The
 *   worst case of one read is 3 × `requestTimeoutMs` + 150 ms.
 *
 * Two other loops repeat requests that succeeded, and are no retry of a
 * failure: `result_items.ts` starts a result's write or read again when
 * another process changed the result meanwhile (each request still goes
 * through {@linkcode retryRead}), and `ensure_table.ts` polls a `CREATING`
 * table until it is `ACTIVE` (the table check itself runs in the write
 * loop's first round, so the write loop retries it).
 *
 * Throttling (`ProvisionedThroughputExceededException`,
 * `ThrottlingException`, `RequestLimitExceeded`, items a batch left
 * unprocessed) is retried like any other error that a retry may fix.
 *
 * @module
 */

import { DynamoStoreError, explain } from "./errors.ts";

/** Backoff of the write loop: doubling from this, capped at `WRITE_BACKOFF_MAX_MS`. */
export const WRITE_BACKOFF_MIN_MS = 100;
/** The longest wait between two write attempts. */
export const WRITE_BACKOFF_MAX_MS = 5_000;
/** Attempts per read (one request each) before it throws. */
export const READ_ATTEMPTS = 3;
const READ_BACKOFF_MIN_MS = 50;
const READ_BACKOFF_MAX_MS = 1_000;

/** The error names DynamoDB answers when a table or account is over its throughput. */
export const THROTTLING_ERRORS: readonly string[] = [
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
];

/**
 * The wait before retry number `failures` (1, 2, ...): a random time in
 * [c/2, c], c = `min` × 2^(failures − 1) capped at `max` ("equal jitter"),
 * so writers that failed together do not retry together.
 */
export function backoff(
  failures: number,
  min: number = WRITE_BACKOFF_MIN_MS,
  max: number = WRITE_BACKOFF_MAX_MS,
): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(Math.max(failures, 1) - 1, 16));
  return ceiling / 2 + Math.random() * ceiling / 2;
}

/**
 * Runs one read request, retrying what a retry may fix (throttling,
 * network, 5xx) up to {@linkcode READ_ATTEMPTS} attempts with jittered
 * backoff. Throws the last error as a {@linkcode DynamoStoreError}.
 */
export async function retryRead<T>(
  request: () => Promise<T>,
  table: string,
  operation: string,
  report: (error: DynamoStoreError) => void,
): Promise<T> {
  let last: DynamoStoreError | undefined;
  for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
    try {
      return await request();
    } catch (error) {
      last = explain(error, table, operation);
      report(last);
      if (!last.retryable || attempt === READ_ATTEMPTS) break;
      await new Promise((resolve) =>
        setTimeout(resolve, backoff(attempt, READ_BACKOFF_MIN_MS, READ_BACKOFF_MAX_MS))
      );
    }
  }
  throw last;
}

/**
 * The write loop's state between successes: how many attempts failed in a
 * row and since when, and whether this outage was warned about already.
 */
export class Outage {
  /** Failed attempts in a row. */
  failures = 0;
  /** When the first of them failed (ms). */
  since: number | undefined;
  #warned = false;

  /** Records a success: the outage, if any, is over. */
  succeeded(): void {
    this.failures = 0;
    this.since = undefined;
    this.#warned = false;
  }

  /** Records a failure; returns whether it is the first of this outage (warn once). */
  failed(now: number): boolean {
    this.failures++;
    this.since ??= now;
    const first = !this.#warned;
    this.#warned = true;
    return first;
  }

  /** The wait before the next attempt: the batch delay, or the backoff while failing. */
  delay(batchMs: number): number {
    return this.failures > 0 ? backoff(this.failures) : batchMs;
  }

  /** Whether the outage has lasted `ms` or more. */
  longerThan(ms: number, now: number): boolean {
    return this.since !== undefined && now - this.since >= ms;
  }
}

/** A batch that came back with unprocessed items: throttled, retried by the loop. */
export function unprocessedError(left: number, of: number): DynamoStoreError {
  return new DynamoStoreError(
    `DynamoStore: DynamoDB left ${left} of ${of} items unprocessed (throttled); retrying`,
    { retryable: true },
  );
}

/** Lets a retry timer not keep the program alive, where the runtime can (Deno, Node, Bun). */
export function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;
  if (typeof timer === "number") deno?.unrefTimer?.(timer);
  else (timer as { unref?(): void })?.unref?.();
}
