/**
 * Test support: a TCP proxy on 127.0.0.1 (port 0) in front of another
 * loopback port, whose behaviour a test switches to simulate network faults:
 *
 * - `"pass"`: forwards both ways.
 * - `"cut"`: forwards requests, then closes the connection as soon as the
 *   server answers, so the request took effect but the client never learns it.
 * - `"stall"`: accepts connections and never answers (a network partition).
 * - `"drop"`: accepts connections and closes them at once.
 * - `"refuse"`: stops listening: connections are refused.
 *
 * Every switch also closes the open connections.
 * `await using` stops it.
 */

/** What the proxy does with connections. */
export type ProxyMode = "pass" | "cut" | "stall" | "drop" | "refuse";

/** A running proxy. */
export class TcpProxy implements AsyncDisposable {
  readonly port: number;
  readonly #target: number;
  #listener: Deno.Listener | undefined;
  #accepting: Promise<void> | undefined;
  #mode: ProxyMode = "pass";
  readonly #open = new Set<Deno.Conn>();
  #pumps = new Set<Promise<void>>();
  /** Connections accepted so far. */
  accepted = 0;
  /** Connections cut after the server answered. */
  cut = 0;

  private constructor(listener: Deno.Listener, target: number) {
    this.#listener = listener;
    this.port = (listener.addr as Deno.NetAddr).port;
    this.#target = target;
    this.#accepting = this.#accept(listener);
  }

  /** Starts a proxy to 127.0.0.1:`targetPort`. */
  static start(targetPort: number): TcpProxy {
    return new TcpProxy(Deno.listen({ hostname: "127.0.0.1", port: 0 }), targetPort);
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): ProxyMode {
    return this.#mode;
  }

  /** Switches behaviour and closes the open connections. */
  async setMode(mode: ProxyMode): Promise<void> {
    const previous = this.#mode;
    this.#mode = mode;
    this.#closeAll();
    if (mode === "refuse" && this.#listener !== undefined) {
      this.#listener.close();
      this.#listener = undefined;
      await this.#accepting;
    }
    if (previous === "refuse" && mode !== "refuse") {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: this.port });
      this.#listener = listener;
      this.#accepting = this.#accept(listener);
    }
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const conn of listener) {
        this.accepted++;
        if (this.#mode === "drop") {
          conn.close();
          continue;
        }
        if (this.#mode === "stall") {
          this.#track(this.#swallow(conn));
          continue;
        }
        this.#track(this.#handle(conn));
      }
    } catch {
      // the listener was closed
    }
  }

  #track(pump: Promise<void>): void {
    this.#pumps.add(pump);
    pump.finally(() => this.#pumps.delete(pump));
  }

  async #handle(client: Deno.Conn): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect({ hostname: "127.0.0.1", port: this.#target });
    } catch {
      close(client);
      return;
    }
    this.#open.add(client);
    this.#open.add(server);
    const up = pump(client, server, () => true);
    const down = pump(server, client, () => {
      if (this.#mode !== "cut") return true;
      this.cut++;
      return false;
    });
    await Promise.allSettled([up, down]);
    close(client);
    close(server);
    this.#open.delete(client);
    this.#open.delete(server);
  }

  /** Reads and discards what the client sends; answers nothing. */
  async #swallow(client: Deno.Conn): Promise<void> {
    this.#open.add(client);
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (let i = 0; i < 10_000_000; i++) if ((await client.read(buffer)) === null) break;
    } catch {
      // closed by a mode switch or by the client
    }
    close(client);
    this.#open.delete(client);
  }

  #closeAll(): void {
    for (const conn of this.#open) close(conn);
    this.#open.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#mode = "refuse";
    this.#listener?.close();
    this.#listener = undefined;
    this.#closeAll();
    await this.#accepting;
    await Promise.allSettled([...this.#pumps]);
  }
}

/** Copies `from` to `to` until either ends or `pass` says no (then closes both). */
async function pump(from: Deno.Conn, to: Deno.Conn, pass: () => boolean): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  try {
    for (let i = 0; i < 10_000_000; i++) {
      const n = await from.read(buffer);
      if (n === null) break;
      if (!pass()) break;
      let written = 0;
      for (let j = 0; j < 100_000 && written < n; j++) {
        written += await to.write(buffer.subarray(written, n));
      }
    }
  } catch {
    // a side was closed
  } finally {
    close(from);
    close(to);
  }
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
