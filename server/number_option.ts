/**
 * The checks of numeric options, one message for each: a `TypeError` naming
 * the option (`name`, e.g. `"pollingStore: options.intervalMs"`) and the
 * value given.
 */

/** What a positive number may also have to be. */
export interface PositiveRule {
  /** A whole number. */
  integer?: boolean;
  /** Not `Infinity`. */
  finite?: boolean;
}

/** `value` when it is a number above 0 that keeps `rule`, else a TypeError naming `name`. */
export function positiveNumber(value: unknown, name: string, rule: PositiveRule = {}): number {
  const { integer = false, finite = false } = rule;
  if (
    typeof value !== "number" || !(value > 0) || (finite && !Number.isFinite(value)) ||
    (integer && !Number.isInteger(value))
  ) {
    throw new TypeError(
      `${name} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}`,
    );
  }
  return value;
}

/** `value` when it is a safe integer of 0 or more (an entry id), else a TypeError naming `name`. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !(Number.isSafeInteger(value) && value >= 0)) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
