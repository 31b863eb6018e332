/** What a job id may look like: 1 to 128 of `A-Z a-z 0-9 _ -`. */
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A new unguessable job id: a random UUID (122 random bits).
 */
export function newJobId(): string {
  return crypto.randomUUID();
}

/**
 * Whether a string is a well-formed job id (1 to 128 of `A-Z a-z 0-9 _ -`).
 * Used to refuse malformed ids before they reach a store.
 */
export function isJobId(value: unknown): value is string {
  return typeof value === "string" && JOB_ID.test(value);
}
