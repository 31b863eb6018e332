/** Test support: runs a command (`deno` or another) to its end and keeps what it printed. */
import { ROOT } from "./tools.ts";

/** How a command ended and what it printed. */
export interface CommandRun {
  success: boolean;
  code: number;
  stdout: string;
  stderr: string;
  /** stdout, then stderr: for an assertion's message. */
  text: string;
}

/** Where and how long a command runs. */
export interface RunOptions {
  /** Default: the repository. */
  cwd?: string;
  /** Added to the environment, after `NO_COLOR`. */
  env?: Record<string, string>;
  /** The command is killed after this long. Default 120,000 ms. */
  timeoutMs?: number;
}

/** Runs `command <args>` with no stdin and no colour; resolves once it exits. */
export async function runCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<CommandRun> {
  const { cwd = ROOT, env = {}, timeoutMs = 120_000 } = options;
  const out = await new Deno.Command(command, {
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

/** Runs `deno <args>` (this test's own deno) as {@linkcode runCommand} does. */
export function runDeno(args: string[], options: RunOptions = {}): Promise<CommandRun> {
  return runCommand(Deno.execPath(), args, options);
}
