/**
 * Test support: a real Redis (Debian's `redis-server`, installed by
 * `scripts/setup.sh`) on 127.0.0.1 at a free port, with its files in a temp
 * dir. Persistence is off unless `aof` is set; `cluster` starts a one-node
 * Redis Cluster owning every slot. `kill()` SIGKILLs it and `start()` starts
 * it again on the same port and dir (with its AOF, if any). `await using`
 * stops it and removes the dir.
 */

const REDIS_SERVER = "/usr/bin/redis-server";

/** Options of {@linkcode startRedis}. */
export interface RedisOptions {
  /** Append-only file on (fsync always), so a restart keeps every write. */
  aof?: boolean;
  /** A one-node Redis Cluster (every slot on this node). */
  cluster?: boolean;
}

/** A running redis-server. */
export interface RedisServer extends AsyncDisposable {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** SIGKILLs the server (no shutdown, no save). */
  kill(): Promise<void>;
  /** Starts it again (same port, dir and options) and waits until it answers. */
  start(): Promise<void>;
  /** Sends one command with redis-cli and returns its output. */
  cli(...args: string[]): Promise<string>;
}

/** Starts redis-server; throws when it is not installed or does not answer within 10 s. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  try {
    await Deno.stat(REDIS_SERVER);
  } catch {
    throw new Error("redis-server is not installed: run scripts/setup.sh");
  }
  const dir = await Deno.makeTempDir({ prefix: "streamator-redis-" });
  const port = freePort();
  let child: Deno.ChildProcess | undefined;
  /** The running server's log, read to its end. */
  let log: Promise<string> = Promise.resolve("");

  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.aof ? "yes" : "no",
    "--appendfsync",
    "always",
    "--daemonize",
    "no",
    "--logfile",
    "",
    "--loglevel",
    "warning",
  ];
  if (options.cluster) {
    // A lone node knows no address of its own (CLUSTER SLOTS would answer ""): announce it.
    args.push("--cluster-enabled", "yes", "--cluster-config-file", `${dir}/nodes.conf`);
    args.push("--cluster-announce-ip", "127.0.0.1");
    // The bus port defaults to port + 10000, which is past 65535 for a free port above 55535.
    args.push("--cluster-port", String(freePort()));
  }

  const cli = async (...command: string[]) => {
    const out = await new Deno.Command("redis-cli", {
      args: ["-h", "127.0.0.1", "-p", String(port), ...command],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).trim();
  };

  const start = async () => {
    // Its log goes to stdout: kept, so a server that exits at once says why.
    const running = new Deno.Command(REDIS_SERVER, { args, stdout: "piped", stderr: "inherit" })
      .spawn();
    child = running;
    const output = new Response(running.stdout).text().catch(() => "");
    log = output;
    let exited = false;
    running.status.then(() => exited = true);
    const deadline = Date.now() + 10_000;
    while ((await cli("PING")) !== "PONG") {
      if (exited) throw new Error(`redis-server exited at start: ${(await output).trim()}`);
      if (Date.now() > deadline) throw new Error("redis-server did not answer within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (options.cluster) {
      if ((await cli("CLUSTER", "INFO")).includes("cluster_state:fail")) {
        await cli("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
      }
      while (!(await cli("CLUSTER", "INFO")).includes("cluster_state:ok")) {
        if (Date.now() > deadline) throw new Error("the cluster did not become ok within 10 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  const kill = async () => {
    if (child === undefined) return;
    const running = child;
    child = undefined;
    try {
      running.kill("SIGKILL");
    } catch { /* already gone */ }
    await running.status;
    await log;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    cli,
    async [Symbol.asyncDispose]() {
      await kill();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
