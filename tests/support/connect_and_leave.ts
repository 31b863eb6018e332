/** Test support: a client that opens a stream, reads its first event, and drops the connection. */
import assert from "node:assert/strict";

/**
 * Opens `GET path` on 127.0.0.1:`port` over a raw TCP connection, reads (at
 * most `maxReads` times) until the first event (`id: 0`) has arrived, asserts
 * a 200, and closes the connection without reading on.
 */
export async function connectAndLeave(port: number, path: string, maxReads = 1_000): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    const buffer = new Uint8Array(4096);
    let text = "";
    for (let i = 0; i < maxReads && !text.includes("id: 0\n\n"); i++) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    assert.match(text, /^HTTP\/1\.1 200/);
  } finally {
    conn.close();
  }
}
