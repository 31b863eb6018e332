/** What a job id may look like: 1 to 128 of `A-Z a-z 0-9 _ -`. */
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A new unguessable job id: a random UUID (122 random bits).
 *
 * @example
 * ```ts
 * import { newJobId } from "@streamator/core";
 * const id = newJobId(); // "3b241101-e2bb-4255-8caf-4136c566a962"
 * ```
 */
export function newJobId(): string {
  return crypto.randomUUID();
}

/**
 * Whether a string is a well-formed job id (1 to 128 of `A-Z a-z 0-9 _ -`).
 * Used to refuse malformed ids before they reach a store.
 *
 * @example
 * ```ts
 * import { isJobId } from "@streamator/core";
 * isJobId("abc-123"); // true
 * isJobId("../etc/passwd"); // false
 * ```
 */
export function isJobId(value: unknown): value is string {
  return typeof value === "string" && JOB_ID.test(value);
}
