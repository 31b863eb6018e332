/**
 * One job's log in a Durable Object's SQLite storage: its state in one row,
 * its entries in one row per batch (the batch's entries as a JSON array of
 * strings), and the latest entries in memory, so readers woken by a write
 * are served without a query. A batch is taken in two steps: `stage` makes
 * it readable from memory, `store` writes it, so the object can hand it to
 * its streams before the write holds back what the object sends.
 */
import type { Outcome, ReadResult, ResultRead } from "../server/store.ts";
import type { JobSettings } from "./protocol.ts";
import type { SqlStorage } from "./workers_types.ts";

/** What the object keeps about its job, in the `job_meta` row. */
export interface JobMeta {
  settings: JobSettings;
  /** The id the next entry gets. */
  next: number;
  /** The id of the oldest entry still stored. */
  oldest: number;
  done: boolean;
  outcome?: Outcome;
  /** When the job ended, in ms since the epoch. */
  endedAt?: number;
  cancelled: boolean;
  /** The id of the writer that writes the job (see `WriteBody.writer`). */
  writer?: string;
  /** The job's id of that writer's entry 0. */
  base?: number;
}

/** Characters of entries per stored row: SQLite in a Durable Object takes values up to 2 MB. */
const ROW_CHARS = 1_000_000;
/** Entries kept in memory for readers near the end. */
const TAIL_ENTRIES = 4_096;

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS job_meta (id INTEGER PRIMARY KEY CHECK (id = 0), meta TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS job_result (id INTEGER PRIMARY KEY CHECK (id = 0), json TEXT NOT NULL)",
  "CREATE TABLE IF NOT EXISTS job_batches (first INTEGER PRIMARY KEY, count INTEGER NOT NULL, entries TEXT NOT NULL)",
];

/** The job of one Durable Object, read from and written to its SQLite storage. */
export class JobTable {
  readonly #sql: SqlStorage;
  #meta: JobMeta | undefined;
  /** The latest entries, in id order; the first has id `#tailFirst`. Those before it are stored. */
  #tail: string[] = [];
  #tailFirst = 0;
  /** Staged entries not stored yet, in id order, each run with the id of its first entry. */
  #unstored: { first: number; entries: string[] }[] = [];

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
    const row = sql.exec("SELECT meta FROM job_meta WHERE id = 0").toArray()[0];
    this.#meta = row === undefined ? undefined : JSON.parse(String(row.meta));
    this.#tailFirst = this.#meta?.next ?? 0;
  }

  /** The job's state, or `undefined` when the object has no job. */
  get meta(): Readonly<JobMeta> | undefined {
    return this.#meta;
  }

  /** Starts the job, written by `writer`; `false` when it exists already (it is kept as it is). */
  create(settings: JobSettings, writer?: string): boolean {
    if (this.#meta !== undefined) return false;
    this.#meta = { settings, next: 0, oldest: 0, done: false, cancelled: false, writer, base: 0 };
    this.#tail = [];
    this.#tailFirst = 0;
    this.#saveMeta();
    return true;
  }

  /**
   * The job's id of `writer`'s entry 0, or why `writer` may not write. A
   * writer the job has not seen takes the running job over with its first
   * write (`first`): its entries follow the job's. `"replaced"`: `writer` was
   * taken over from, and its writes would mix with its successor's.
   * `"ended"`: the job ended before `writer` came, and what it logs would be lost.
   */
  writerBase(writer: string, first: boolean): number | "replaced" | "ended" {
    const meta = this.#meta;
    if (meta === undefined) return 0; // nothing is staged: the writer hears the job is unknown
    if (meta.writer === writer) return meta.base ?? 0;
    if (meta.done) return "ended";
    if (!first) return "replaced";
    meta.writer = writer;
    meta.base = meta.next;
    this.#saveMeta();
    return meta.base;
  }

  /**
   * Takes the entries that follow the last one (`entries[0]` has id `first`;
   * the ones the job has already are skipped): readable at once, stored by the
   * next `store` (or any other write of the job's state). Returns `false` when
   * `first` is past the next id: entries in between are missing.
   */
  stage(first: number, entries: string[]): boolean {
    const meta = this.#meta;
    if (meta === undefined || meta.done) return true;
    if (first > meta.next) return false;
    const fresh = entries.slice(meta.next - first);
    if (fresh.length === 0) return true;
    this.#unstored.push({ first: meta.next, entries: fresh });
    meta.next += fresh.length;
    this.#tail.push(...fresh);
    return true;
  }

  /** Whether staged entries are waiting for `store`. */
  get staged(): boolean {
    return this.#unstored.length > 0;
  }

  /** Stores the staged entries, one row per batch (split at `ROW_CHARS`), and the job's state. */
  store(): void {
    if (this.#meta !== undefined && this.staged) this.#saveMeta();
  }

  /** Ends the job with `outcome`, at `now`; nothing for a job that has ended. */
  end(outcome: Outcome, now: number): void {
    const meta = this.#meta;
    if (meta === undefined || meta.done) return;
    meta.done = true;
    meta.outcome = outcome;
    meta.endedAt = now;
    this.#saveMeta();
  }

  /** Records a cancel request; `false` when the job has ended or was cancelled already. */
  cancel(): boolean {
    const meta = this.#meta;
    if (meta === undefined || meta.done || meta.cancelled) return false;
    meta.cancelled = true;
    this.#saveMeta();
    return true;
  }

  /** Entries from `cursor` on, at most `limit`, as every store answers a read. */
  read(cursor: number, limit: number): ReadResult | undefined {
    const meta = this.#meta;
    if (meta === undefined) return undefined;
    const { oldest, next } = meta;
    const from = Math.min(Math.max(cursor, oldest), next);
    const to = Math.min(next, from + limit);
    const result: ReadResult = {
      entries: this.#entries(from, to),
      next: to,
      done: meta.done && to >= next,
      missed: Math.max(0, oldest - cursor),
    };
    if (result.done && meta.outcome !== undefined) result.outcome = meta.outcome;
    return result;
  }

  /** Keeps the result's JSON, replacing an earlier one; `false` when there is no job. */
  setResult(json: string): boolean {
    if (this.#meta === undefined) return false;
    this.#sql.exec("INSERT OR REPLACE INTO job_result (id, json) VALUES (0, ?)", json);
    return true;
  }

  /** The result and whether the job has ended; `undefined` when there is no job. */
  result(): ResultRead | undefined {
    if (this.#meta === undefined) return undefined;
    const row = this.#sql.exec("SELECT json FROM job_result WHERE id = 0").toArray()[0];
    return { json: row === undefined ? undefined : String(row.json), done: this.#meta.done };
  }

  /** Forgets the job after its storage was deleted. */
  forget(): void {
    this.#meta = undefined;
    this.#tail = [];
    this.#tailFirst = 0;
    this.#unstored = [];
  }

  #entries(from: number, to: number): string[] {
    if (from >= to) return [];
    // Ids before the tail are stored; the tail has the rest, the staged ones too.
    const out = from < this.#tailFirst
      ? this.#storedEntries(from, Math.min(to, this.#tailFirst))
      : [];
    if (to > this.#tailFirst) {
      const start = Math.max(from, this.#tailFirst) - this.#tailFirst;
      out.push(...this.#tail.slice(start, to - this.#tailFirst));
    }
    return out;
  }

  #storedEntries(from: number, to: number): string[] {
    const rows = this.#sql.exec(
      "SELECT first, entries FROM job_batches WHERE first < ? AND first + count > ? ORDER BY first",
      to,
      from,
    );
    const out: string[] = [];
    for (const row of rows) {
      const first = Number(row.first);
      const batch: string[] = JSON.parse(String(row.entries));
      out.push(...batch.slice(Math.max(0, from - first), to - first));
    }
    return out;
  }

  /** Writes the staged entries, each run in rows of at most `ROW_CHARS`, then trims. */
  #storeStaged(meta: JobMeta): void {
    if (this.#unstored.length === 0) return;
    while (this.#unstored.length > 0) {
      const run = this.#unstored[0];
      let end = 0;
      let chars = 0;
      while (
        end < run.entries.length && (end === 0 || chars + run.entries[end].length <= ROW_CHARS)
      ) {
        chars += run.entries[end].length;
        end++;
      }
      const rows = run.entries.slice(0, end);
      try {
        this.#sql.exec(
          "INSERT INTO job_batches (first, count, entries) VALUES (?, ?, ?)",
          run.first,
          rows.length,
          JSON.stringify(rows),
        );
      } catch (error) {
        this.#unstage(meta, run.first);
        throw error;
      }
      if (end === run.entries.length) this.#unstored.shift();
      else this.#unstored[0] = { first: run.first + end, entries: run.entries.slice(end) };
    }
    if (this.#tail.length > TAIL_ENTRIES * 2) {
      const drop = this.#tail.length - TAIL_ENTRIES;
      this.#tail = this.#tail.slice(drop);
      this.#tailFirst += drop;
    }
    this.#trim(meta);
  }

  /**
   * A staged row could not be written: the job ends at `next` again, the id
   * of the first entry not written, so the writer's retry (same ids) stages
   * the rest anew and no later write of the job's state counts them.
   */
  #unstage(meta: JobMeta, next: number): void {
    meta.next = next;
    this.#tail.length = next - this.#tailFirst;
    this.#unstored = [];
  }

  /** Drops the oldest batches past `maxEntries`, whole rows only. */
  #trim(meta: JobMeta): void {
    const keepFrom = meta.next - meta.settings.maxEntries;
    if (keepFrom <= meta.oldest) return;
    this.#sql.exec("DELETE FROM job_batches WHERE first + count <= ?", keepFrom);
    const row = this.#sql.exec("SELECT MIN(first) AS first FROM job_batches").toArray()[0];
    meta.oldest = row?.first === null || row === undefined ? meta.next : Number(row.first);
  }

  /** Writes the job's state, after the staged entries it counts (its `next` includes them). */
  #saveMeta(): void {
    this.#storeStaged(this.#meta!);
    this.#sql.exec(
      "INSERT OR REPLACE INTO job_meta (id, meta) VALUES (0, ?)",
      JSON.stringify(this.#meta),
    );
  }
}
