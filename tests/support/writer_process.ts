/**
 * Test support: a job's writer in its own Deno process (`dynamo_writer.ts`,
 * `redis_writer.ts`). The writer prints its job id first, then reads command
 * lines on stdin and prints lines on stdout; what it writes to stderr is kept.
 */
import { type LineReader, lineReader } from "./line_reader.ts";

/** A writer process. `await using` kills it. */
export interface WriterProcess extends AsyncDisposable {
  jobId: string;
  /** Sends one command line. */
  send(line: string): Promise<void>;
  /** The next line the writer printed (fails after `timeoutMs`). */
  line(timeoutMs?: number): Promise<string>;
  /** Kills the process at once (SIGKILL): no close, no last write. */
  kill(): Promise<void>;
  /** What it wrote to stderr lately (the newest chunks, at most {@linkcode STDERR_CHUNKS}). */
  stderr(): string;
}

/** Stderr chunks kept: a writer that reports on a timer never grows the test's memory. */
const STDERR_CHUNKS = 1_000;

/**
 * Runs `script` with Deno's `permissions` and `args`; resolves with the job id
 * it prints first (killing it if none comes within 30 s).
 */
export async function spawnWriterProcess(
  script: string,
  permissions: string[],
  args: string[],
  env?: Record<string, string>,
): Promise<WriterProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, script, ...args],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errText: string[] = [];
  const draining = (async () => {
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    for (let i = 0; i < 1_000_000; i++) {
      const { done, value } = await reader.read();
      if (done) return;
      errText.push(value);
      if (errText.length > STDERR_CHUNKS) errText.splice(0, STDERR_CHUNKS / 2);
    }
  })();
  const input = child.stdin.getWriter();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const out: LineReader = lineReader(child.stdout, () => `stderr: ${errText.join("")}`);
  const kill = async () => {
    await input.close().catch(() => {});
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }
    await status;
    await out.cancel();
    await draining;
  };
  const jobId = await out.next(30_000).catch(async (error) => {
    await kill();
    throw error;
  });
  return {
    jobId,
    send: (line) => input.write(new TextEncoder().encode(`${line}\n`)),
    line: (timeoutMs) => out.next(timeoutMs),
    kill,
    stderr: () => errText.join(""),
    [Symbol.asyncDispose]: kill,
  };
}
