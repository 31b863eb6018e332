/**
 * The options of the DynamoDB store, checked once, and the document client
 * it sends its requests with: made here with explicit timeouts and no SDK
 * retries (the store retries in one layer, see `retry.ts`), or the caller's.
 *
 * The public types here are structural, so they do not expose the AWS SDK's
 * own types: any `DynamoDBClient` or `DynamoDBDocumentClient` fits
 * {@linkcode DynamoClient}.
 *
 * @module
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoStoreError } from "./errors.ts";
import { checkTableName } from "./table_name.ts";
import { positiveNumber } from "../server/number_option.ts";

/**
 * A DynamoDB client of the AWS SDK v3: a `DynamoDBClient` or a
 * `DynamoDBDocumentClient` (described by shape, so the store's types do not
 * depend on the SDK's).
 */
export interface DynamoClient {
  /** Sends one command. */
  // deno-lint-ignore no-explicit-any
  send(command: any, options?: any): Promise<unknown>;
  /** Closes the client's connections. */
  destroy(): void;
}

/**
 * Static AWS credentials, or a function that resolves them (a credential
 * provider such as `fromIni()` of `@aws-sdk/credential-providers`).
 */
export type DynamoCredentials =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }
  | (() => Promise<
    { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }
  >);

/**
 * Options of `DynamoStore`. Only `table` is required; the client comes from
 * the usual AWS environment (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, ...) unless given.
 */
export interface DynamoStoreOptions {
  /** The table: 3 to 255 of `A-Z a-z 0-9 _ - .`. */
  table: string;
  /** Days until DynamoDB may delete a stored item (its `expiresAt`). Default 1. */
  ttlDays?: number;
  /**
   * An existing client (a `DynamoDBDocumentClient` or a `DynamoDBClient`); it is not destroyed by
   * `dispose()`, and its own `maxAttempts` applies to every attempt the store makes.
   */
  client?: DynamoClient;
  /** The AWS region, when the store makes its client (else `AWS_REGION`). */
  region?: string;
  /** The endpoint URL (DynamoDB Local, dynalite), when the store makes its client. */
  endpoint?: string;
  /** Credentials or a credential provider, when the store makes its client. */
  credentials?: DynamoCredentials;
  /** Create the table (on-demand, TTL on) when it is missing. Default `true`. */
  createTable?: boolean;
  /** How often the readers of a job (all of them together, per process) query for news, in ms. Default 1,000. */
  pollMs?: number;
  /** How long appends gather before a write, in ms. Default 50. */
  batchMs?: number;
  /**
   * How often the writer renews its lease on an open job (one small `UpdateItem`), in ms; readers
   * end the stream with `status: "lost"` once the lease is 3 × `leaseMs` old. A cancel reaches the
   * writer within `leaseMs`. Default 10,000.
   */
  leaseMs?: number;
  /** A job with no new entry for this many ms is ended with `status: "lost"`, as in the memory store. Default 1 hour. */
  idleMs?: number;
  /**
   * A `flush()` or `close()` still waiting this many ms after it was called rejects with the
   * cause at the next failed write (so within `failAfterMs` + 5 s backoff + one request). A write
   * that succeeds keeps it waiting: slow progress is not a failure. Default 30,000.
   */
  failAfterMs?: number;
  /** Each HTTP request to DynamoDB is abandoned (and retried by the store) after this many ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Strongly consistent reads (twice the read cost). Default `false`: readers never skip an entry either way. */
  consistentRead?: boolean;
  /** Called with every failed request; the store also warns once per outage on the console. */
  onError?: (error: DynamoStoreError) => void;
}

/** The checked options, with every default filled in. */
export interface StoreSettings {
  table: string;
  ttlDays: number;
  createTable: boolean;
  pollMs: number;
  batchMs: number;
  leaseMs: number;
  idleMs: number;
  failAfterMs: number;
  requestTimeoutMs: number;
  consistentRead: boolean;
  report: (error: DynamoStoreError) => void;
  /** The epoch second at which an item written now may expire. */
  expiresAt(): number;
}

/**
 * Checks `options` (a `TypeError` naming the option for a bad one) and fills
 * in the defaults.
 */
export function storeSettings(options: DynamoStoreOptions): StoreSettings {
  if (options === null || typeof options !== "object") {
    throw new TypeError("DynamoStore: options must be an object with at least { table }");
  }
  const table = checkTableName(options.table, "DynamoStore: options.table");
  const ttlDays = positive(options.ttlDays, 1, "ttlDays");
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw new TypeError("DynamoStore: options.onError must be a function");
  }
  const onError = options.onError;
  return {
    table,
    ttlDays,
    createTable: options.createTable ?? true,
    pollMs: positive(options.pollMs, 1_000, "pollMs"),
    batchMs: nonNegative(options.batchMs, 50, "batchMs"),
    leaseMs: positive(options.leaseMs, 10_000, "leaseMs"),
    idleMs: positive(options.idleMs, 3_600_000, "idleMs"),
    failAfterMs: nonNegative(options.failAfterMs, 30_000, "failAfterMs"),
    requestTimeoutMs: positive(options.requestTimeoutMs, 10_000, "requestTimeoutMs"),
    consistentRead: options.consistentRead ?? false,
    report: (error) => {
      try {
        onError?.(error);
      } catch (hookError) {
        console.error("streamator: onError threw", hookError);
      }
    },
    expiresAt: () => Math.floor(Date.now() / 1000) + Math.round(ttlDays * 86_400),
  };
}

/**
 * The document client of a store and whether the store made it (and so
 * destroys it on dispose). A client the store makes has `maxAttempts: 1`
 * (the store retries; see `retry.ts`) and both HTTP timeouts set to
 * `requestTimeoutMs`.
 */
export function documentClient(
  options: DynamoStoreOptions,
  requestTimeoutMs: number,
): { client: DynamoDBDocumentClient; owned: boolean } {
  const { client } = options;
  if (client !== undefined) {
    if (
      options.region !== undefined || options.endpoint !== undefined ||
      options.credentials !== undefined
    ) {
      throw new TypeError(
        "DynamoStore: give either options.client or region/endpoint/credentials, not both",
      );
    }
    if (client instanceof DynamoDBDocumentClient) return { client, owned: false };
    if (client instanceof DynamoDBClient) {
      return { client: DynamoDBDocumentClient.from(client), owned: false };
    }
    throw new TypeError(
      "DynamoStore: options.client must be a DynamoDBDocumentClient or a DynamoDBClient",
    );
  }
  const raw = new DynamoDBClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: 1,
    // Without throwOnRequestTimeout the Node handler only warns and a stalled
    // connection would hold the writer forever.
    requestHandler: {
      requestTimeout: requestTimeoutMs,
      connectionTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  return { client: DynamoDBDocumentClient.from(raw), owned: true };
}

/** The rejection of a call on a disposed store. */
export function disposedError(): Promise<never> {
  return Promise.reject(
    new DynamoStoreError("DynamoStore: the store is disposed", { retryable: false }),
  );
}

function positive(value: number | undefined, fallback: number, name: string): number {
  return positiveNumber(value ?? fallback, `DynamoStore: options.${name}`, { finite: true });
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new TypeError(`DynamoStore: options.${name} must be a number >= 0, got ${v}`);
  }
  return v;
}
