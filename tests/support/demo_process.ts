/**
 * Test support: the demo app as a user runs it, `deno task demo --port 0`
 * (the task exactly as deno.json writes it) in a child process on
 * 127.0.0.1; `await using` stops it.
 */
import assert from "node:assert/strict";

/** A running demo process and its base URL (ends with `/`). */
export interface DemoProcess extends AsyncDisposable {
  url: string;
}

/** Starts `deno task demo --port 0` and waits (at most a minute) for the URL it prints. */
export async function startDemoTask(): Promise<DemoProcess> {
  const root = new URL("../../", import.meta.url);
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const [program, ...args] = (config.tasks.demo as string).split(/\s+/);
  assert.equal(program, "deno");
  const child = new Deno.Command(Deno.execPath(), {
    args: [...args, "--port", "0"],
    cwd: root,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await lines.cancel().catch(() => {});
    await child.status;
  };
  try {
    let text = "";
    // Bundling on a new machine first fetches esbuild from npm: allow a minute.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { done, value } = await lines.read();
      if (done) break;
      text += value;
      const match = text.match(/Streamator demo: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) return { url: match[1], [Symbol.asyncDispose]: stop };
    }
    throw new Error(`the demo printed no URL: ${text}`);
  } catch (error) {
    await stop();
    throw error;
  }
}
