/**
 * Child processes for the benchmarks: a Deno script whose stdout is JSON
 * lines, read with a time limit, and stopped (SIGTERM, then SIGKILL) by
 * `await using`, also when the benchmark fails.
 */

/** A running child that speaks JSON lines on stdout. */
export class JsonProcess implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #lines: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #exited = false;
  readonly status: Promise<Deno.CommandStatus>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    this.status = child.status.finally(() => this.#exited = true);
  }

  /** Starts `deno run <flags> <script> <args>`. */
  static deno(script: string | URL, flags: string[], args: string[] = []): JsonProcess {
    const path = script instanceof URL ? script.pathname : script;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...flags, path, ...args],
      stdin: "null",
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    return new JsonProcess(child);
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** The next JSON line; throws after `timeoutMs` or when the process ends first. */
  async next<T = Record<string, unknown>>(timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 1_000_000; i++) {
      const cut = this.#buffer.indexOf("\n");
      if (cut >= 0) {
        const line = this.#buffer.slice(0, cut).trim();
        this.#buffer = this.#buffer.slice(cut + 1);
        if (line.startsWith("{")) return JSON.parse(line) as T;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.#lines.read(),
        new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), left)),
      ]).finally(() => clearTimeout(timer));
      if (chunk === "timeout") break;
      if (chunk.done) throw new Error(`process ${this.pid} ended before its next line`);
      this.#buffer += chunk.value;
    }
    throw new Error(`process ${this.pid}: no line within ${timeoutMs} ms`);
  }

  /** Stops the process: SIGTERM, then SIGKILL after a second. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#exited) {
      try {
        this.#child.kill("SIGTERM");
      } catch { /* already gone */ }
      const killer = setTimeout(() => {
        try {
          this.#child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, 1_000);
      await this.status.catch(() => {});
      clearTimeout(killer);
    }
    await this.#lines.cancel().catch(() => {});
  }
}

/** Flags for a server process: loopback only, and `gc()` for memory readings. */
export const SERVER_FLAGS = ["--allow-net=127.0.0.1", "--v8-flags=--expose-gc"];
/** Flags for a client process. */
export const CLIENT_FLAGS = ["--allow-net=127.0.0.1"];

/** Epoch ms with sub-ms precision, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** POSTs or GETs a control route of a server process and returns its JSON. */
export async function control<T = Record<string, unknown>>(
  port: number,
  route: string,
  method = "POST",
): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, { method });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status}`);
  return await response.json() as T;
}
