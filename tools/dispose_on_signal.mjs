// Stops a Miniflare server (and the workerd it runs) on SIGTERM or SIGINT, once, then exits:
// what the tests send to end a server they started.

/** Disposes of `mf` on the first SIGTERM or SIGINT, then exits with 0. */
export function disposeOnSignal(mf) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await mf.dispose();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
