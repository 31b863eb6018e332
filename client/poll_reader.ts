/**
 * Reads one poll answer: this project's snapshot (`{ logs, next, done,
 * status, message, missed }`) or the plain `{ logs }` poll format, whose
 * last entry may be a `{"event":"done"}`.
 *
 * @module
 */
import type { RawEvent } from "./types.ts";
import { dropped, fault } from "./response_check.ts";

/**
 * A poll answer (its JSON body): its entries (without the done event), the
 * done event when the job ended, the position after its last entry (`next`,
 * when the server sends one) and how many entries the server dropped before
 * `logs`.
 */
export interface PollAnswer {
  /** The entries as sent. */
  logs: unknown[];
  /** The done event, once the job ended. */
  end?: RawEvent | false;
  /** The id after the last entry, sent back as `?from=` (a safe integer, if the server sends it). */
  next?: unknown;
  /** Entries dropped before `logs[0]`, as the server sent it. */
  missed?: number;
  /** The job's newest progress entry, as the server sent it. */
  progress?: unknown;
}

/**
 * Reads `response`'s JSON body. A body cut by the network is a retryable
 * failure; a whole one that is not JSON, or has no `logs` array, is one
 * that is not retried. Both name `url`.
 */
export async function readPoll(response: Response, url: string): Promise<PollAnswer> {
  let text;
  try {
    text = await response.text();
  } catch (error) {
    throw dropped(url, error);
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    // reported below
  }
  const logs = body?.logs;
  if (!Array.isArray(logs)) {
    throw fault(`${url} answered ${body ? 'JSON without a "logs" array' : "invalid JSON"}`, {
      retryable: false,
    });
  }
  // The last entry is the done event, or `done: true` says the job ended.
  body.end = logs.at(-1)?.event === "done"
    ? logs.pop()
    : body.done === true && { event: "done", status: body.status, message: body.message };
  return body;
}
