/**
 * The store's view of Redis: one command connection (a client or a cluster,
 * the app's own or one the store opens from a URL) and, for pub/sub, a
 * duplicate of it. Scripts run with EVALSHA, and with EVAL when the server
 * does not know them yet (after a restart, on a new cluster node).
 *
 * @module
 */

import { createClient } from "@redis/client";

/**
 * A client (`createClient`) or cluster (`createCluster`) of `@redis/client`,
 * with any modules, scripts and RESP version: what `options.client` takes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClient } from "@redis/client";
 * import { JobLogger } from "@streamator/core";
 * import { RedisStore } from "@streamator/core/redis";
 *
 * const client = await createClient({ url: Deno.env.get("REDIS_URL") }).connect();
 * const store = new RedisStore({ client }); // the store never closes the app's client
 * const logger = new JobLogger({ store });
 * logger.log("Starting…");
 * await logger.close();
 * const read = await store.read(logger.jobId, 0);
 * assert.deepEqual([read?.entries.length, read?.done], [1, true]);
 * store.dispose();
 * client.destroy();
 * ```
 */
export interface RedisClientLike {
  /** Whether the client is connected (or connecting). */
  readonly isOpen: boolean;
  /** A new client with the same options (the store's pub/sub connection). */
  // deno-lint-ignore no-explicit-any
  duplicate(...args: any[]): unknown;
  /** Sends a raw command. */
  // deno-lint-ignore no-explicit-any
  sendCommand(...args: any[]): Promise<unknown>;
}

/** The parts of a client or cluster the store uses. */
export interface Client {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  duplicate(overrides?: Record<string, unknown>): Client;
  // deno-lint-ignore no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // deno-lint-ignore no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown;
  readonly isReady: boolean;
  // deno-lint-ignore no-explicit-any
  sendCommand(...args: any[]): Promise<any>;
  /** Clients only (not clusters): whether the socket keeps the program alive. */
  ref?(): void;
  unref?(): void;
  subscribe(channel: string, listener: PubSubListener): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  sSubscribe(channel: string, listener: PubSubListener): Promise<void>;
  sUnsubscribe(channel: string): Promise<void>;
}

/** A pub/sub listener: the message and its channel. */
export type PubSubListener = (message: string, channel: string) => void;

/** What the store sends commands and subscribes through. */
export interface Connection {
  /** Whether the connection is a cluster (sharded pub/sub is then used). */
  readonly cluster: boolean;
  /** Sends one command; `key` routes it on a cluster. */
  send<T>(args: string[], key: string): Promise<T>;
  /** Runs a Lua script on `keys` with `args`. */
  script<T>(source: string, keys: string[], args: string[]): Promise<T>;
  /** The pub/sub connection (opened on first use). */
  subscriber(): Promise<Client>;
  /** Closes what the store opened. */
  close(): void;
}

/** How long a reconnect waits at most between attempts, in ms. */
const MAX_RECONNECT_DELAY_MS = 500;

/** The client options the store uses for a connection it opens itself. */
export function clientOptions(url: string) {
  return {
    url,
    // Fail fast while Redis is unreachable: the writer keeps its entries and retries, and a
    // reader's request ends instead of waiting for a reconnect.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number) =>
        Math.min(50 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS),
    },
  };
}

/**
 * A connection on `client` (not closed by the store) or on a client for
 * `url` (closed by {@linkcode Connection.close}).
 */
export function openConnection(
  target: { client: RedisClientLike } | { url: string },
  onError: (error: unknown) => void,
): Connection {
  const owned = !("client" in target);
  const main =
    ("client" in target
      ? target.client
      : createClient(clientOptions(target.url))) as unknown as Client;
  const cluster = isCluster(main);
  let sub: Promise<Client> | undefined;
  let subClient: Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  // Errors after close() (a connect cut short) are expected: not reported.
  const report = (error: unknown) => {
    if (!closed) onError(error);
  };
  if (owned) main.on("error", report);

  // The first connect retries for as long as Redis is down (reconnectStrategy): a request waits
  // for it only until its first failure, so the writer reports the outage and keeps its entries.
  const ready = async () => {
    if (main.isReady) return;
    if (!owned) {
      if (main.isOpen) return; // reconnecting: the client's own queue or error answers
      throw new Error("RedisStore: the client given in options.client is not connected");
    }
    if (main.isOpen && connecting === undefined) return; // reconnecting: requests fail fast
    connecting ??= main.connect().then(() => {
      connecting = undefined;
    }, () => {
      connecting = undefined; // closed while connecting
    });
    await new Promise<void>((resolve, reject) => {
      const done = (error?: unknown) => {
        main.off("ready", done);
        main.off("error", done);
        if (error === undefined) resolve();
        else reject(error);
      };
      main.on("ready", done);
      main.on("error", done);
    });
  };

  // A connection the store opened keeps the program alive only while a request is in flight:
  // a worker whose job is closed exits, as it would with an HTTP store.
  let inflight = 0;
  const send = async <T>(args: string[], key: string): Promise<T> => {
    if (closed) throw new Error("RedisStore: the store is disposed");
    if (owned && inflight++ === 0) main.ref?.();
    try {
      await ready();
      if (cluster) return await main.sendCommand(key, false, args);
      return await main.sendCommand(args);
    } finally {
      if (owned && --inflight === 0 && main.isOpen) main.unref?.();
    }
  };

  const shas = new Map<string, Promise<string>>();
  const script = async <T>(source: string, keys: string[], args: string[]): Promise<T> => {
    let sha = shas.get(source);
    if (sha === undefined) {
      sha = sha1(source);
      shas.set(source, sha);
    }
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await send<T>(["EVALSHA", await sha, ...tail], keys[0]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await send<T>(["EVAL", source, ...tail], keys[0]);
    }
  };

  return {
    cluster,
    send,
    script,
    subscriber() {
      if (closed) return Promise.reject(new Error("RedisStore: the store is disposed"));
      sub ??= (async () => {
        const client = main.duplicate(owned ? {} : { disableOfflineQueue: true });
        subClient = client;
        client.on("error", report);
        await client.connect();
        if (closed) throw new Error("RedisStore: the store is disposed");
        client.unref?.(); // listening alone never keeps the program alive
        return client;
      })().catch((error) => {
        sub = undefined;
        destroy(subClient);
        throw error;
      });
      return sub;
    },
    close() {
      if (closed) return;
      closed = true;
      // A subscriber still connecting is closed once its connect settles, too.
      sub?.then(destroy, () => {});
      destroy(subClient);
      if (owned) destroy(main);
    },
  };
}

function destroy(client: Client | undefined): void {
  try {
    if (client?.isOpen) client.destroy();
  } catch {
    // already closed
  }
}

function isCluster(client: Client): boolean {
  return "masters" in client;
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
