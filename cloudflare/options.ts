/** The options of `durableObjectStore`, their defaults and their checks. */

/**
 * Options of {@linkcode durableObjectStore}.
 */
export interface DurableObjectStoreOptions {
  /**
   * The writer's lease, in ms: a job whose writer sends nothing (no entry, no
   * lease renewal, which it sends every third of it) for this long is ended
   * `"lost"` by the object's alarm. Default 30,000.
   */
  leaseMs?: number;
  /** How long an ended job stays readable before an alarm deletes its storage, in ms. Default 1 day. */
  retentionMs?: number;
  /** Entries kept per job; past it the oldest are dropped and readers behind them get `missed`. Default 100,000. */
  maxEntries?: number;
  /**
   * The shortest time between two writes of one job, in ms: entries logged in
   * between go in one request. The first entry after a quiet spell goes at
   * once. Default 10.
   */
  batchMs?: number;
  /** The longest a reader's request waits at the object for news, in ms (it then asks again). Default 25,000. */
  waitMs?: number;
  /** Told about each failed request to an object (default: `console.error`). */
  onError?: (error: Error) => void;
}

/** The options with their defaults filled in. */
export type StoreSettings = Required<DurableObjectStoreOptions>;

const DEFAULTS: Omit<StoreSettings, "onError"> = {
  leaseMs: 30_000,
  retentionMs: 24 * 60 * 60_000,
  maxEntries: 100_000,
  batchMs: 10,
  waitMs: 25_000,
};

/** The options checked, with defaults; a TypeError naming a bad one. */
export function storeSettings(options: DurableObjectStoreOptions): StoreSettings {
  if (options === null || typeof options !== "object") {
    throw new TypeError("durableObjectStore: options must be an object");
  }
  const settings = { ...DEFAULTS } as StoreSettings;
  for (const name of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[name] ?? DEFAULTS[name];
    const integer = name === "maxEntries";
    const positive = name === "batchMs" ? value >= 0 : value > 0;
    if (
      typeof value !== "number" || !positive || !Number.isFinite(value) ||
      (integer && !Number.isInteger(value))
    ) {
      throw new TypeError(
        `durableObjectStore: options.${name} must be a ${
          name === "batchMs" ? "non-negative" : "positive"
        } ${integer ? "integer" : "number"}, got ${String(value)}`,
      );
    }
    settings[name] = value;
  }
  const { onError = (error: Error) => console.error(error) } = options;
  if (typeof onError !== "function") {
    throw new TypeError("durableObjectStore: options.onError must be a function");
  }
  settings.onError = onError;
  return settings;
}
