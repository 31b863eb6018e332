/** Test support: runs a `deno` command to its end and keeps what it printed. */
import { ROOT } from "./tools.ts";

/** How a `deno` command ended and what it printed. */
export interface DenoRun {
  success: boolean;
  code: number;
  stdout: string;
  stderr: string;
  /** stdout, then stderr: for an assertion's message. */
  text: string;
}

/** Where and how long a command runs. */
export interface RunDenoOptions {
  /** Default: the repository. */
  cwd?: string;
  /** Added to the environment, after `NO_COLOR`. */
  env?: Record<string, string>;
  /** The command is killed after this long. Default 120,000 ms. */
  timeoutMs?: number;
}

/** Runs `deno <args>` with no stdin and no colour; resolves once it exits. */
export async function runDeno(args: string[], options: RunDenoOptions = {}): Promise<DenoRun> {
  const { cwd = ROOT, env = {}, timeoutMs = 120_000 } = options;
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  return { success: out.success, code: out.code, stdout, stderr, text: stdout + stderr };
}
