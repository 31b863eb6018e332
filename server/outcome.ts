/**
 * Outcomes: checking one given to `close()` (and what a cancel makes of it),
 * making one from a thrown error, and the fields of the `done` event that
 * carry it.
 */
import type { Outcome } from "./store.ts";
import { type DoneEvent, isOutcomeStatus, OUTCOME_STATUSES, type OutcomeStatus } from "./wire.ts";

/** The longest message kept; longer ones are cut, with `…`. */
export const MAX_MESSAGE = 2_000;

/** The outcome `{ status }` or `{ status, message }` checked, or a TypeError naming what is wrong. */
export function checkOutcome(outcome: unknown, where: string): Outcome {
  if (outcome === null || typeof outcome !== "object" || Array.isArray(outcome)) {
    throw new TypeError(`${where}: outcome must be an object { status, message? }`);
  }
  const { status, message } = outcome as Record<string, unknown>;
  if (!isOutcomeStatus(status)) {
    throw new TypeError(
      `${where}: outcome.status must be one of ${
        OUTCOME_STATUSES.map((s) => `"${s}"`).join(", ")
      }; got ${typeof status === "string" ? JSON.stringify(status) : typeof status}`,
    );
  }
  if (message !== undefined && typeof message !== "string") {
    throw new TypeError(`${where}: outcome.message must be a string, got ${typeof message}`);
  }
  return message === undefined
    ? { status: status as OutcomeStatus }
    : { status: status as OutcomeStatus, message: clip(message) };
}

/**
 * What a thrown value says, for an outcome: an `Error`'s message (its name
 * when the message is empty), a string as it is, anything else as text.
 * Never a stack.
 */
export function errorMessage(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message || error.name;
  else if (typeof error === "string") text = error;
  else {
    try {
      text = String(error);
    } catch {
      text = Object.prototype.toString.call(error);
    }
  }
  return clip(text || "unknown error");
}

/** Whether `error` is how a cancelled job's work stops: the signal's reason or an `AbortError`. */
export function isAbort(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  return error === signal.reason ||
    (error instanceof Error || error instanceof DOMException) && error.name === "AbortError";
}

/**
 * The outcome `close(outcome)` records: `outcome` checked (`"ok"` when
 * absent), and `"cancelled"` instead of `"ok"` once a cancel was requested.
 */
export function closingOutcome(outcome: unknown, cancelled: boolean, where: string): Outcome {
  const checked = outcome === undefined ? { status: "ok" as const } : checkOutcome(outcome, where);
  return checked.status === "ok" && cancelled ? { status: "cancelled" } : checked;
}

/**
 * The outcome of a job that threw `error`: `"cancelled"` when it is how a
 * cancel stopped the job (see {@linkcode isAbort}), else `"error"` with
 * {@linkcode errorMessage}.
 */
export function thrownOutcome(error: unknown, signal: AbortSignal): Outcome {
  return isAbort(error, signal)
    ? { status: "cancelled" }
    : { status: "error", message: errorMessage(error) };
}

/**
 * The fields a `done` event adds for an outcome: none for a plain `"ok"`
 * (so a job that never reports one ends with `{"event":"done"}` as ever),
 * else `status` and `message`. An outcome read from a store is checked as it
 * is used: a status that is not one of {@linkcode OUTCOME_STATUSES} reads as
 * `"ok"` and a message that is not a string is left out.
 */
export function doneFields(outcome: Outcome | undefined): Omit<DoneEvent, "event"> {
  if (outcome === undefined) return {};
  const status = isOutcomeStatus(outcome.status) ? outcome.status : "ok";
  const message = typeof outcome.message === "string" ? outcome.message : undefined;
  if (status === "ok" && message === undefined) return {};
  return message === undefined ? { status } : { status, message };
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}
