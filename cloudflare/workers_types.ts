/**
 * The few Cloudflare Workers types this subpath uses, written out so that it
 * needs no `@cloudflare/workers-types` and no `cloudflare:workers` import. The
 * runtime's own objects (`env.JOB_LOGS`, a Durable Object's `ctx`) fit them.
 */

/** A stub of one Durable Object: requests sent with `fetch` reach the object's `fetch`. */
export interface JobLogStub {
  /** Sends a request to the object's `fetch` handler. */
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/**
 * A Durable Object namespace binding (`env.JOB_LOGS`): one object per name.
 */
export interface JobLogNamespace<Id = unknown> {
  /** The id of the object for a name (the job's id): always the same for the same name. */
  idFromName(name: string): Id;
  /** A stub of the object with that id, made when first used. */
  get(id: Id): JobLogStub;
}

/** A cursor over the rows of one SQL statement. */
export interface SqlCursor extends Iterable<Record<string, SqlValue>> {
  /** Every row, as objects keyed by column name. */
  toArray(): Record<string, SqlValue>[];
}

/** A value SQLite storage takes and gives back. */
export type SqlValue = string | number | null | ArrayBuffer;

/** The SQLite API of a Durable Object's storage (`ctx.storage.sql`). */
export interface SqlStorage {
  /** Runs one statement with its `?` bindings. */
  exec(query: string, ...bindings: SqlValue[]): SqlCursor;
}

/** The part of a Durable Object's storage the job log object uses. */
export interface JobLogStorage {
  /** The object's SQLite database. */
  readonly sql: SqlStorage;
  /** Runs the object's `alarm()` at this time (ms since the epoch), replacing an earlier alarm. */
  setAlarm(scheduledTime: number): Promise<void>;
  /** Deletes everything the object stored. */
  deleteAll(): Promise<void>;
  /** Resolves once every write so far is committed. */
  sync(): Promise<void>;
}

/**
 * What the runtime hands a Durable Object's constructor (`ctx`), as far as the
 * job log object uses it.
 */
export interface JobLogState {
  /** The object's storage. */
  readonly storage: JobLogStorage;
}
