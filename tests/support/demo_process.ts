/**
 * Test support: the demo app as a user runs it, `deno task demo --port 0`
 * (the task exactly as deno.json writes it) in a child process on
 * 127.0.0.1, through {@linkcode startServerProcess}; `await using` stops it.
 */
import assert from "node:assert/strict";
import { startServerProcess } from "./process_server.ts";

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
  const server = await startServerProcess({
    command: Deno.execPath(),
    args: [...args, "--port", "0"],
    cwd: root.pathname,
    // Bundling on a new machine first fetches esbuild from npm: allow a minute.
    startTimeoutMs: 60_000,
    ready: /Streamator demo: http/,
  });
  return { url: `${server.url}/`, [Symbol.asyncDispose]: () => server[Symbol.asyncDispose]() };
}
