/** The four levels a log line can have, in the seed's order. */
export const LEVELS = ["info", "success", "warning", "error"] as const;

/**
 * The level of a log line: `"info" | "success" | "warning" | "error"`.
 *
 * @example
 * ```ts
 * import type { Level } from "@streamator/core";
 * const level: Level = "warning";
 * ```
 */
export type Level = typeof LEVELS[number];

/**
 * Whether a value is one of the four {@linkcode LEVELS}.
 *
 * @example
 * ```ts
 * import { isLevel } from "@streamator/core";
 * isLevel("success"); // true
 * isLevel("debug"); // false
 * ```
 */
export function isLevel(value: unknown): value is Level {
  return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}
