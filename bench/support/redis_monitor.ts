/**
 * Bench support: the commands a Redis server runs, told apart by who sent
 * them, from `redis-cli MONITOR`. A line from a client's connection is a
 * command the client sent (one request, one reply); a line from `lua` is a
 * command a script ran inside Redis (INFO commandstats counts both alike).
 *
 * @module
 */

/** Commands counted by name: sent by clients, and run inside scripts. */
export interface MonitorCounts {
  sent: Map<string, number>;
  inScripts: Map<string, number>;
}

const END = "streamator-bench-monitor-end";
const LINE = /^\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/;

/** Starts `redis-cli MONITOR` on `port`; `stop()` returns what ran since it was started. */
export async function monitor(port: number): Promise<{ stop(): Promise<MonitorCounts> }> {
  const child = new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), "MONITOR"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const counts: MonitorCounts = { sent: new Map(), inScripts: new Map() };
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => ended = resolve);
  let started: () => void = () => {};
  const ready = new Promise<void>((resolve) => started = resolve);
  const reading = (async () => {
    let rest = "";
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("OK")) started();
        if (line.includes(END)) return ended();
        const match = LINE.exec(line);
        if (match === null) continue;
        const into = match[1] === "lua" ? counts.inScripts : counts.sent;
        const name = match[2].toUpperCase();
        into.set(name, (into.get(name) ?? 0) + 1);
      }
    }
  })();
  await ready;
  return {
    async stop() {
      await new Deno.Command("redis-cli", {
        args: ["-h", "127.0.0.1", "-p", String(port), "ECHO", END],
        stdout: "null",
      }).output();
      await Promise.race([end, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      child.kill("SIGTERM");
      await reading.catch(() => {});
      await child.status;
      return counts;
    },
  };
}

/** The sum of the counts, and the counts as text (`EVALSHA 3, SUBSCRIBE 1`), largest first. */
export function summary(counts: Map<string, number>): { total: number; text: string } {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return {
    total: sorted.reduce((sum, [, n]) => sum + n, 0),
    text: sorted.map(([name, n]) => `${name} ${n.toLocaleString("en-US")}`).join(", "),
  };
}
