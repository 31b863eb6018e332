/**
 * Test support: runs a server as its own process, waits for the line in which
 * it says where it listens (`http://127.0.0.1:PORT`), and stops it at the end
 * of an `await using` block, also when the test fails.
 */

/** A server process and its base URL. */
export interface ServerProcess extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
}

/** How to start a server process. */
export interface ServerCommand {
  /** The program, e.g. `deno`, `node` or the path of `bun`. */
  command: string;
  args: string[];
  /** Extra environment variables (the process also inherits the test's). */
  env?: Record<string, string>;
  cwd?: string;
  /** How long to wait for the listening line, in ms. Default 30,000. */
  startTimeoutMs?: number;
  /** Also wait until the output matches this (e.g. Next.js's "Ready"), when the URL comes first. */
  ready?: RegExp;
}

const LISTENING = /https?:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Stops `child`: SIGTERM, then SIGKILL if it has not exited within 5 s;
 * resolves once it has exited and `drained` (the reading of its output) is done.
 */
export async function stopProcess(
  child: Deno.ChildProcess,
  drained: Promise<unknown>,
): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // already exited
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
  }, 5_000);
  try {
    await child.status;
    await drained;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `command`; resolves once it prints its `http://127.0.0.1:PORT` URL. */
export async function startServerProcess(spec: ServerCommand): Promise<ServerProcess> {
  const child = new Deno.Command(spec.command, {
    args: spec.args,
    env: spec.env,
    cwd: spec.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  let found: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => found = resolve);
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      const match = text.match(LISTENING);
      if (match && (spec.ready === undefined || spec.ready.test(text))) {
        found(`http://127.0.0.1:${match[1]}`);
      }
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const stop = () => stopProcess(child, drained);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = spec.startTimeoutMs ?? 30_000;
  const outcome = await Promise.race([
    listening,
    child.status.then((status) => ({ exited: status.code })),
    new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), limit)),
  ]).finally(() => clearTimeout(timer));
  if (typeof outcome !== "string" || outcome === "timeout") {
    await stop();
    const why = outcome === "timeout"
      ? `did not say where it listens within ${limit} ms`
      : `exited with code ${outcome.exited} before listening`;
    throw new Error(`${spec.command} ${spec.args.join(" ")} ${why}; its output:\n${text}`);
  }
  return {
    url: outcome,
    output: () => text,
    [Symbol.asyncDispose]: stop,
  };
}
