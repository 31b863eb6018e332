/** Runs the Node scripts of bench/browser/ (installed by scripts/setup.sh). */

const DIR = new URL("../browser/", import.meta.url);

/** Throws with the fix when the tools or the React subpath are missing. */
export async function requireTools(): Promise<void> {
  try {
    await Deno.stat(new URL("node_modules/playwright-core", DIR));
  } catch {
    throw new Error("bench/browser/node_modules is missing: run scripts/setup.sh");
  }
  try {
    await Deno.stat(new URL("../../react/mod.ts", DIR));
  } catch {
    throw new Error("react/ is not on this branch yet (git merge main)");
  }
}

/** Runs `node bench/browser/<script> ...args` and returns its last JSON line. */
export async function node<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  const child = new Deno.Command("node", {
    args: [new URL(script, DIR).pathname, ...args],
    cwd: DIR.pathname,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, timeoutMs);
  try {
    const output = await child.output();
    if (!output.success) throw new Error(`node ${script} failed (${output.code})`);
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    return JSON.parse(lines[lines.length - 1]) as T;
  } finally {
    clearTimeout(timer);
  }
}
