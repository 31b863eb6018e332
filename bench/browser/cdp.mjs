// A minimal Chrome DevTools Protocol client over --remote-debugging-pipe, for
// the browser benchmark. Unlike playwright, it enables no DevTools domain the
// page does not need: with the Network domain on (as playwright keeps it),
// Chromium copies every response body into DevTools' buffer and decodes it
// as text when it ends, a main-thread task of 100 ms or more for a 100,000-
// entry SSE body at 4× CPU throttle that no user's browser runs.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Launches headless Chromium with a fresh profile and opens one page.
 * Returns { send(method, params), on(method, listener), evaluate(expression), close() }.
 */
export async function openPage({ executablePath, args, width, height }) {
  const dir = mkdtempSync(join(tmpdir(), "streamator-bench-chromium-"));
  const child = spawn(executablePath, [
    "--headless",
    "--remote-debugging-pipe",
    `--user-data-dir=${dir}`,
    `--window-size=${width},${height}`,
    ...args,
    "about:blank",
  ], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];
  let nextId = 0;
  const pending = new Map();
  /** Event name → the function that gets its params. */
  const listeners = new Map();
  let buffered = "";
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (text) => {
    buffered += text;
    // Messages end with a NUL byte.
    for (let end; (end = buffered.indexOf("\0")) >= 0;) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      if (message.id === undefined) {
        listeners.get(message.method)?.(message.params);
        continue;
      }
      const waiter = pending.get(message.id);
      if (waiter === undefined) continue;
      pending.delete(message.id);
      if (message.error) {
        waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      } else waiter.resolve(message.result);
    }
  });
  const raw = (method, params = {}, sessionId = undefined) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
    });
  const { targetId } = await raw("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await raw("Target.attachToTarget", {
    targetId,
    flatten: true,
  });
  const send = (method, params) => raw(method, params, sessionId);
  await send("Emulation.setDeviceMetricsOverride", {
    width,
    height,
    deviceScaleFactor: 1,
    mobile: false,
  });
  return {
    send,
    /** Calls `listener` with the params of each `method` event (one listener per event). */
    on(method, listener) {
      listeners.set(method, listener);
    },
    /** The value of `expression` in the page (awaited when it is a promise). */
    async evaluate(expression) {
      const { result, exceptionDetails } = await send("Runtime.evaluate", {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      if (exceptionDetails) {
        throw new Error(`evaluate: ${exceptionDetails.text}`);
      }
      return result.value;
    },
    /** Polls `expression` every `intervalMs` until truthy; false after `timeoutMs`. */
    async waitFor(expression, timeoutMs, intervalMs = 100) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await this.evaluate(expression).catch(() => false)) return true;
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
      return false;
    },
    async close() {
      await raw("Browser.close").catch(() => {});
      await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
