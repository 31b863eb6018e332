/** The limits of a `MemoryStore`, their defaults and their checks. */
import { positiveNumber } from "./number_option.ts";

/**
 * Limits of a `MemoryStore`. Every limit keeps memory bounded
 * without a timer: expired jobs are swept whenever the store is used.
 */
export interface MemoryStoreOptions {
  /** Entries kept per job; past it the oldest are dropped. Default 100,000. */
  maxEntries?: number;
  /** How long a closed job stays readable, in ms. Default 10 minutes. */
  retentionMs?: number;
  /** How long a job with no new entry stays open before it is ended, in ms. Default 1 hour. */
  idleMs?: number;
}

const DEFAULTS: Required<MemoryStoreOptions> = {
  maxEntries: 100_000,
  retentionMs: 10 * 60_000,
  idleMs: 60 * 60_000,
};

/**
 * The option's value or its default; a TypeError naming the option when it
 * is not a positive number (a positive integer when `integer`).
 */
export function limitOption(
  options: MemoryStoreOptions,
  name: keyof MemoryStoreOptions,
  integer: boolean,
): number {
  return positiveNumber(options[name] ?? DEFAULTS[name], `MemoryStore: options.${name}`, {
    integer,
  });
}
