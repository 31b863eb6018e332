/**
 * The one pub/sub connection of a store: every job channel this process
 * listens to (its readers' and its writer's) goes through it. Messages are
 * hints only: a lost one (a reconnect, a `CLIENT KILL TYPE pubsub`) costs at
 * most one safety-net interval, since the feeds re-check Redis right after
 * each reconnect and every `leaseMs`.
 *
 * @module
 */

import type { Client, Connection } from "./connection.ts";

type Listener = (message: string) => void;

/**
 * Channel listeners on one subscriber connection.
 */
export class Subscriber {
  readonly #conn: Connection;
  readonly #onReconnect: () => void;
  readonly #report: (error: unknown) => void;
  readonly #channels = new Map<string, Set<Listener>>();
  #client: Promise<Client> | undefined;
  #closed = false;

  constructor(conn: Connection, onReconnect: () => void, report: (error: unknown) => void) {
    this.#conn = conn;
    this.#onReconnect = onReconnect;
    this.#report = report;
  }

  /**
   * Calls `listener` with each message on `channel`; `subscribed` resolves
   * once Redis confirmed the subscription (or failed it: the safety net then
   * covers the channel). Returns a function that stops listening.
   */
  listen(channel: string, listener: Listener): { stop: () => void; subscribed: Promise<void> } {
    let listeners = this.#channels.get(channel);
    let subscribed = Promise.resolve();
    if (listeners === undefined) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
      const all = listeners;
      subscribed = this.#subscribe(channel, (message) => {
        for (const one of [...all]) one(message);
      });
    }
    listeners.add(listener);
    const own = listeners;
    return {
      subscribed,
      stop: () => {
        own.delete(listener);
        if (own.size > 0 || this.#channels.get(channel) !== own) return;
        this.#channels.delete(channel);
        this.#unsubscribe(channel);
      },
    };
  }

  close(): void {
    this.#closed = true;
    this.#channels.clear();
  }

  #connect(): Promise<Client> {
    this.#client ??= this.#conn.subscriber().then((client) => {
      let first = true;
      // node-redis subscribes again by itself after a reconnect; messages sent meanwhile are
      // lost, so the feeds re-check.
      const onReady = () => {
        if (first) first = false;
        else if (!this.#closed) this.#onReconnect();
      };
      client.on("ready", onReady);
      return client;
    }, (error) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    try {
      const client = await this.#connect();
      if (this.#channels.get(channel) === undefined) return;
      if (this.#conn.cluster) await client.sSubscribe(channel, handler);
      else await client.subscribe(channel, handler);
    } catch (error) {
      this.#report(error);
      this.#channels.delete(channel); // the next listener tries again
    }
  }

  async #unsubscribe(channel: string): Promise<void> {
    if (this.#closed || this.#client === undefined) return;
    try {
      const client = await this.#client;
      if (this.#channels.has(channel)) return; // listened to again meanwhile
      if (this.#conn.cluster) await client.sUnsubscribe(channel);
      else await client.unsubscribe(channel);
    } catch (error) {
      this.#report(error);
    }
  }
}
