/**
 * Test support: a loopback TCP proxy between a client (a browser) and a
 * server, that sees the HTTP requests going through and can cut, or hold,
 * chosen connections, as a flaky network would. `await using` stops it and
 * closes every connection.
 *
 * It cuts chosen connections, for the browser tests; `tcp_proxy.ts` beside it
 * switches the whole proxy between fault modes, for the DynamoDB tests.
 */

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

/** A running proxy. */
export interface TcpProxy extends AsyncDisposable {
  /** `http://127.0.0.1:{port}/`: the server's address, through the proxy. */
  url: string;
  /** Every connection so far, open or not. */
  connections: ProxyConnection[];
  /** The head of every request so far, on any connection, in the order they came. */
  requests: string[];
  /**
   * Cuts the open connections `filter` picks once they have passed
   * `afterBytes` more bytes to the client (0: now), possibly mid-event.
   * Returns how many connections were picked.
   */
  cut(filter: ConnectionFilter, afterBytes?: number): number;
  /**
   * Cuts each of the next `times` connections `filter` picks (checked as
   * server bytes arrive) once they have passed `afterBytes` bytes to the
   * client from then on: cuts at a set place in responses not started yet.
   */
  cutNext(filter: ConnectionFilter, afterBytes: number, times?: number): void;
  /**
   * Stops passing server bytes to the client on the connections `filter`
   * picks (now or later, as requests go through), until `release()`.
   */
  hold(filter: ConnectionFilter): void;
  /** Passes held bytes on again. */
  release(): void;
}

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
  server: Deno.Conn;
  cutAt: number | undefined;
  close(): void;
}

/** Starts a proxy on 127.0.0.1, port 0, to `target` (an `http://127.0.0.1:port` URL). */
export function startTcpProxy(target: string): TcpProxy {
  const { hostname, port } = new URL(target);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const links = new Set<Link>();
  const connections: ProxyConnection[] = [];
  const requests: string[] = [];
  const tasks = new Set<Promise<void>>();
  let holding: ConnectionFilter | undefined;
  const rules: { filter: ConnectionFilter; afterBytes: number; times: number }[] = [];
  let release: () => void = () => {};
  let released = Promise.resolve();

  const track = (task: Promise<void>) => {
    tasks.add(task);
    task.finally(() => tasks.delete(task));
  };

  const pipeUp = async (link: Link) => {
    const buffer = new Uint8Array(16 * 1024);
    const decoder = new TextDecoder();
    let head = "";
    while (link.info.open) {
      const n = await link.client.read(buffer).catch(() => null);
      if (n === null) break;
      const chunk = buffer.subarray(0, n);
      // Request heads end at a blank line; the demo's requests have no bodies.
      let text = decoder.decode(chunk, { stream: true });
      while (text !== "") {
        const end = (head + text).indexOf("\r\n\r\n");
        if (end === -1) {
          head += text;
          text = "";
        } else {
          const whole = head + text;
          link.info.requests.push(whole.slice(0, end));
          requests.push(whole.slice(0, end));
          text = whole.slice(end + 4);
          head = "";
        }
      }
      if (!(await write(link.server, chunk))) break;
    }
    link.close();
  };

  const pipeDown = async (link: Link) => {
    const buffer = new Uint8Array(16 * 1024);
    while (link.info.open) {
      const n = await link.server.read(buffer).catch(() => null);
      if (n === null) break;
      let chunk = buffer.subarray(0, n);
      if (link.cutAt === undefined) {
        const rule = rules.find((r) => r.times > 0 && r.filter(link.info));
        if (rule !== undefined) {
          rule.times--;
          link.cutAt = link.info.downBytes + rule.afterBytes;
        }
      }
      while (holding?.(link.info) && link.info.open) await released;
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
    link.close();
  };

  const accept = async () => {
    for await (const client of listener) {
      let server: Deno.Conn;
      try {
        server = await Deno.connect({ hostname, port: Number(port) });
      } catch {
        client.close();
        continue;
      }
      const info: ProxyConnection = {
        id: connections.length + 1,
        requests: [],
        downBytes: 0,
        open: true,
      };
      connections.push(info);
      const link: Link = {
        info,
        client,
        server,
        cutAt: undefined,
        close() {
          if (!info.open) return;
          info.open = false;
          links.delete(link);
          for (const conn of [client, server]) {
            try {
              conn.close();
            } catch {
              // already closed
            }
          }
        },
      };
      links.add(link);
      track(pipeUp(link));
      track(pipeDown(link));
    }
  };
  const accepting = accept().catch(() => {});

  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`,
    connections,
    requests,
    cut(filter, afterBytes = 0) {
      let picked = 0;
      for (const link of [...links]) {
        if (!filter(link.info)) continue;
        picked++;
        if (afterBytes <= 0) link.close();
        else link.cutAt = link.info.downBytes + afterBytes;
      }
      return picked;
    },
    cutNext(filter, afterBytes, times = 1) {
      rules.push({ filter, afterBytes, times });
    },
    hold(filter) {
      if (holding === undefined) released = new Promise((resolve) => release = resolve);
      holding = filter;
    },
    release() {
      holding = undefined;
      release();
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      holding = undefined;
      release();
      for (const link of [...links]) link.close();
      await Promise.all([...tasks]);
    },
  };
}

async function write(conn: Deno.Conn, chunk: Uint8Array): Promise<boolean> {
  try {
    let offset = 0;
    while (offset < chunk.length) offset += await conn.write(chunk.subarray(offset));
    return true;
  } catch {
    return false;
  }
}
