/**
 * The push limit of a server process: how many bytes a second it can push to
 * S local clients when it has nothing to do but write pre-encoded blocks.
 * The server runs the `push_limit` peer (bench/support/peers.ts) in its own
 * process; the clients here only drain their sockets into a buffer (raw
 * HTTP/1.0, no parsing), so they are not what limits the figure.
 */
import { control, epochNow, JsonProcess, SERVER_FLAGS } from "./process.ts";

const SERVER = new URL("./stream_server.ts", import.meta.url);

/** Bytes a second pushed to `subscribers` clients reading `entries` events each. */
export async function measurePushLimit(
  subscribers: number,
  entries: number,
): Promise<{ bps: number; seconds: number; bytes: number }> {
  await using server = JsonProcess.deno(SERVER, SERVER_FLAGS, ["push_limit"]);
  const { port } = await server.next<{ port: number }>(20_000);
  const conns: Deno.TcpConn[] = [];
  try {
    const request = new TextEncoder().encode(
      "GET /push_limit/bench HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    );
    for (let i = 0; i < subscribers; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(request);
      conns.push(conn);
    }
    // Each response's head and `retry:` line arrive first: then the streams are open.
    const buffers = conns.map(() => new Uint8Array(1 << 20));
    await Promise.all(conns.map((conn, i) => conn.read(buffers[i])));
    await control(port, `/burst?n=${entries}`);
    const start = epochNow(); // the blocks exist from here on
    const counts = await Promise.all(conns.map(async (conn, i) => {
      let bytes = 0;
      for (let reads = 0; reads < 100_000_000; reads++) {
        const n = await conn.read(buffers[i]);
        if (n === null) break;
        bytes += n;
      }
      return bytes;
    }));
    const seconds = (epochNow() - start) / 1000;
    const bytes = counts.reduce((a, b) => a + b, 0);
    return { bps: bytes / seconds, seconds, bytes };
  } finally {
    for (const conn of conns) {
      try {
        conn.close();
      } catch {
        // already closed by the server
      }
    }
  }
}
