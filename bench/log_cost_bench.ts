/**
 * The cost of `log()`, with `Deno.bench`: alone (no subscriber), and with the
 * delivery to 100 in-process SSE subscribers (100 entries per iteration, each
 * read as SSE bytes by every subscriber before the iteration ends). Hono as its
 * docs show it (`await stream.writeSSE` per event) and the bare batched
 * stream run in the same groups.
 *
 * Usage: deno bench --allow-net=127.0.0.1 bench/log_cost_bench.ts
 */
import { makePeer, type Peer, PEERS } from "./support/peers.ts";
import { ReaderFleet } from "./support/readers.ts";

const LABEL = {
  ours: "ours",
  hono: "Hono, documented (await writeSSE per event)",
  bare_batched: "bare stream, batched",
} as const;

for (const name of PEERS) {
  const peer = makePeer(name);
  let i = 0;
  Deno.bench({
    name: `${LABEL[name]}: log(), no subscriber`,
    group: "log() with 0 subscribers",
    baseline: name === "ours",
    fn() {
      peer.log(`fetched https://example.com/items/${i++} (200 OK)`);
      if (i % 1_000 === 0) peer.flush();
    },
  });
}

const SUBSCRIBERS = 100;
const BATCH = 100;

async function withSubscribers(peer: Peer): Promise<ReaderFleet> {
  const fleet = new ReaderFleet();
  for (let s = 0; s < SUBSCRIBERS; s++) {
    const response = await peer.handle(new Request(`http://127.0.0.1${peer.path}`));
    fleet.add(response.body!);
  }
  await fleet.started(); // every subscriber has its first bytes (the retry line)
  return fleet;
}

const fleets: ReaderFleet[] = [];
for (const name of PEERS) {
  const peer = makePeer(name);
  const fleet = await withSubscribers(peer);
  fleets.push(fleet);
  let frames = fleet.min;
  let i = 0;
  Deno.bench({
    name: `${LABEL[name]}: ${BATCH} × log() + delivery to ${SUBSCRIBERS} subscribers`,
    group: `log() with ${SUBSCRIBERS} subscribers`,
    baseline: name === "ours",
    n: 100, // every peer the same number of rounds
    warmup: 10,
    async fn() {
      for (let k = 0; k < BATCH; k++) peer.log(`fetched https://example.com/items/${i++} (200 OK)`);
      peer.flush();
      frames += BATCH;
      await fleet.until(frames);
    },
  });
}

globalThis.addEventListener("unload", () => {
  for (const fleet of fleets) fleet.cancel();
});
