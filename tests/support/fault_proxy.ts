/**
 * Test support: a loopback TCP proxy (127.0.0.1, port 0) in front of another
 * loopback server, that fails the way networks do. `await using` stops it and
 * closes every connection.
 *
 * The whole proxy switches between fault modes ({@linkcode FaultProxy.setMode}):
 *
 * - `"pass"`: forwards both ways.
 * - `"cut"`: forwards requests, then closes each connection as soon as the
 *   server answers: the request took effect but the client never learns it.
 * - `"stall"`: accepts connections and never answers (a network partition).
 * - `"drop"`: accepts connections and closes them at once.
 * - `"refuse"`: stops listening: connections are refused.
 *
 * Every switch closes the open connections. Chosen connections can also be
 * cut at a set byte (`cut`, `cutNext`) or held (`hold` / `release`), picked by
 * the HTTP requests that went through them (`latestRequest`).
 */

/** What the proxy does with connections. */
export type ProxyMode = "pass" | "cut" | "stall" | "drop" | "refuse";

/** One client connection through the proxy. */
export interface ProxyConnection {
  /** 1, 2, ... in the order they were accepted. */
  readonly id: number;
  /** The head (request line and headers) of each request sent on it, oldest first. */
  readonly requests: string[];
  /** Bytes passed from the server to the client so far. */
  downBytes: number;
  /** False once either side closed it or the proxy cut it. */
  open: boolean;
}

/** Chooses connections by what went through them. */
export type ConnectionFilter = (connection: ProxyConnection) => boolean;

/** The connections whose latest request is for `path` (a RegExp on the request line). */
export function latestRequest(path: RegExp): ConnectionFilter {
  return (c) => {
    const head = c.requests.at(-1);
    return head !== undefined && path.test(head.slice(0, head.indexOf("\r\n")));
  };
}

interface Link {
  info: ProxyConnection;
  client: Deno.Conn;
  server: Deno.Conn | undefined;
  cutAt: number | undefined;
  /** Cut right after this text, first seen at or past `cutAt`. */
  cutAfter: string | undefined;
}

interface CutRule {
  filter: ConnectionFilter;
  afterBytes: number;
  times: number;
  after: string | undefined;
}

/** A running proxy. */
export class FaultProxy implements AsyncDisposable {
  readonly port: number;
  /** Every connection so far, open or not. */
  readonly connections: ProxyConnection[] = [];
  /** The head of every request so far, on any connection, in the order they came. */
  readonly requests: string[] = [];
  /** Connections accepted so far. */
  accepted = 0;
  /** Answers cut in `"cut"` mode (the server answered; the client never heard it). */
  answersCut = 0;
  readonly #hostname: string;
  readonly #targetPort: number;
  #listener: Deno.Listener | undefined;
  #accepting: Promise<void> = Promise.resolve();
  #mode: ProxyMode = "pass";
  readonly #links = new Set<Link>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #rules: CutRule[] = [];
  #holding: ConnectionFilter | undefined;
  #release: () => void = () => {};
  #released: Promise<void> = Promise.resolve();

  private constructor(hostname: string, targetPort: number) {
    this.#hostname = hostname;
    this.#targetPort = targetPort;
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = (listener.addr as Deno.NetAddr).port;
    this.#listen(listener);
  }

  /** Starts a proxy to a loopback port, or to an `http://127.0.0.1:port` URL. */
  static start(target: number | string): FaultProxy {
    if (typeof target === "number") return new FaultProxy("127.0.0.1", target);
    const { hostname, port } = new URL(target);
    return new FaultProxy(hostname, Number(port));
  }

  /** `http://127.0.0.1:<port>`: the server's address, through the proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The current mode. */
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
      this.#listen(Deno.listen({ hostname: "127.0.0.1", port: this.port }));
    }
  }

  /**
   * Cuts the open connections `filter` picks once they have passed
   * `afterBytes` more bytes to the client (0: now), possibly mid-event.
   * Returns how many connections were picked.
   */
  cut(filter: ConnectionFilter, afterBytes = 0): number {
    let picked = 0;
    for (const link of [...this.#links]) {
      if (!filter(link.info)) continue;
      picked++;
      if (afterBytes <= 0) this.#close(link);
      else link.cutAt = link.info.downBytes + afterBytes;
    }
    return picked;
  }

  /**
   * Cuts each of the next `times` connections `filter` picks (checked as
   * server bytes arrive) once they have passed `afterBytes` bytes to the
   * client from then on: cuts at a set place in responses not started yet.
   * With `after` (e.g. `"data: "`), the cut falls right after the first
   * `after` past that point: inside an event, whatever the lengths before it.
   */
  cutNext(filter: ConnectionFilter, afterBytes: number, times = 1, after?: string): void {
    this.#rules.push({ filter, afterBytes, times, after });
  }

  /**
   * Stops passing server bytes to the client on the connections `filter`
   * picks (now or later, as requests go through), until `release()`.
   */
  hold(filter: ConnectionFilter): void {
    if (this.#holding === undefined) {
      this.#released = new Promise((resolve) => this.#release = resolve);
    }
    this.#holding = filter;
  }

  /** Passes held bytes on again. */
  release(): void {
    this.#holding = undefined;
    this.#release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#mode = "refuse";
    this.#listener?.close();
    this.#listener = undefined;
    await this.#accepting;
    this.release();
    this.#closeAll();
    await Promise.allSettled([...this.#tasks]);
  }

  #listen(listener: Deno.Listener): void {
    this.#listener = listener;
    this.#accepting = this.#accept(listener);
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    try {
      for await (const client of listener) {
        this.accepted++;
        if (this.#mode === "drop") {
          closeConn(client);
          continue;
        }
        const info: ProxyConnection = {
          id: this.connections.length + 1,
          requests: [],
          downBytes: 0,
          open: true,
        };
        this.connections.push(info);
        const link: Link = {
          info,
          client,
          server: undefined,
          cutAt: undefined,
          cutAfter: undefined,
        };
        this.#links.add(link);
        if (this.#mode === "stall") {
          this.#track(this.#swallow(link));
          continue;
        }
        try {
          link.server = await Deno.connect({ hostname: this.#hostname, port: this.#targetPort });
        } catch {
          this.#close(link);
          continue;
        }
        if (!info.open) { // closed by a mode switch while connecting
          closeConn(link.server);
          continue;
        }
        this.#track(this.#pipeUp(link));
        this.#track(this.#pipeDown(link));
      }
    } catch {
      // the listener was closed
    }
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  /** Client to server, noting each request head (the requests here have no bodies worth parsing). */
  async #pipeUp(link: Link): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    const decoder = new TextDecoder();
    let head = "";
    for (let i = 0; i < 10_000_000 && link.info.open; i++) {
      const n = await link.client.read(buffer).catch(() => null);
      if (n === null) break;
      const chunk = buffer.subarray(0, n);
      let text = head + decoder.decode(chunk, { stream: true });
      head = "";
      for (let end = text.indexOf("\r\n\r\n"); end >= 0; end = text.indexOf("\r\n\r\n")) {
        const request = text.slice(0, end);
        if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(request)) {
          link.info.requests.push(request);
          this.requests.push(request);
        }
        text = text.slice(end + 4);
      }
      head = text.length > 64 * 1024 ? "" : text; // a body, not a head: drop it
      if (!(await write(link.server!, chunk))) break;
    }
    this.#close(link);
  }

  /** Server to client, through the mode, the cut rules and holds. */
  async #pipeDown(link: Link): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    for (let i = 0; i < 10_000_000 && link.info.open; i++) {
      const n = await link.server!.read(buffer).catch(() => null);
      if (n === null) break;
      if (this.#mode === "cut") {
        this.answersCut++;
        break;
      }
      let chunk = buffer.subarray(0, n);
      if (link.cutAt === undefined) {
        const rule = this.#rules.find((r) => r.times > 0 && r.filter(link.info));
        if (rule !== undefined) {
          rule.times--;
          link.cutAt = link.info.downBytes + rule.afterBytes;
          link.cutAfter = rule.after;
        }
      }
      if (link.cutAfter !== undefined && link.cutAt !== undefined) {
        const from = Math.max(0, link.cutAt - link.info.downBytes);
        const found = latin1.decode(chunk).indexOf(link.cutAfter, from);
        if (found >= 0) {
          link.cutAt = link.info.downBytes + found + link.cutAfter.length;
          link.cutAfter = undefined;
        } else link.cutAt = link.info.downBytes + chunk.length + 1; // look in the next chunk
      }
      for (let j = 0; j < 100_000 && this.#holding?.(link.info) && link.info.open; j++) {
        await this.#released;
      }
      if (!link.info.open) break;
      let cutNow = false;
      if (link.cutAt !== undefined && link.info.downBytes + chunk.length >= link.cutAt) {
        chunk = chunk.subarray(0, link.cutAt - link.info.downBytes);
        cutNow = true;
      }
      if (chunk.length > 0 && !(await write(link.client, chunk))) break;
      link.info.downBytes += chunk.length;
      if (cutNow) break;
    }
    this.#close(link);
  }

  /** Reads and discards what the client sends; answers nothing. */
  async #swallow(link: Link): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    for (let i = 0; i < 10_000_000 && link.info.open; i++) {
      if ((await link.client.read(buffer).catch(() => null)) === null) break;
    }
    this.#close(link);
  }

  #close(link: Link): void {
    if (!link.info.open) return;
    link.info.open = false;
    this.#links.delete(link);
    closeConn(link.client);
    if (link.server !== undefined) closeConn(link.server);
  }

  #closeAll(): void {
    for (const link of [...this.#links]) this.#close(link);
  }
}

const latin1 = new TextDecoder("latin1");

async function write(conn: Deno.Conn, chunk: Uint8Array): Promise<boolean> {
  try {
    let offset = 0;
    for (let i = 0; i < 100_000 && offset < chunk.length; i++) {
      offset += await conn.write(chunk.subarray(offset));
    }
    return true;
  } catch {
    return false;
  }
}

function closeConn(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
