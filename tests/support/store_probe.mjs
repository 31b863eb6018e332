/**
 * Test support, preloaded into a Node server with `node --import`: serves
 * `GET /?job=ID` on its own loopback port (printed as `store probe on port
 * N`), answering the process's default store's `stats(ID)` as JSON, so that a
 * test can see, from outside, whether a stream still waits on the job.
 * It reads the store that `streamator` keeps on `globalThis`, so it imports
 * nothing of the package and changes nothing in the server it watches.
 */
import http from "node:http";

const probe = http.createServer((req, res) => {
  const job = new URL(req.url ?? "/", "http://probe").searchParams.get("job") ?? "";
  const store = globalThis[Symbol.for("streamator.defaultStore")];
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ stats: store?.stats(job) ?? null }));
});
probe.unref(); // the server it watches decides when the process ends
probe.listen(0, "127.0.0.1", () => console.log(`store probe on port ${probe.address().port}`));
