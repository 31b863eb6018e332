/**
 * The README's install path and first example, as a new user follows them:
 * `deno task pack` in the repository, the tarballs copied into a fresh npm
 * project and installed with `npm install ./streamator-*.tgz`; then the
 * README's `server.ts` (a `fetch` handler) is served, unchanged, by the
 * README's line for Deno (`deno serve`), Bun and Node (`npx tsx node.ts`, with
 * `toNodeHandler`, after the README's `npm install tsx`), each streaming a job
 * to the end.
 *
 * Needs the npm registry (or npm's cache) for tsx and for React, the peer of
 * streamator-react that npm installs with it.
 */
import assert from "node:assert/strict";
import { stopProcess } from "./support/process_server.ts";
import { runCommand } from "./support/run_command.ts";
import { SseClient } from "./support/sse_client.ts";
import { nodeBin, ROOT, toolBin } from "./support/tools.ts";

const readme = await Deno.readTextFile(`${ROOT}/README.md`);

/** The body of the first fenced block of `language` after `after` in the README. */
function block(language: string, after: string): string {
  const from = readme.indexOf(after);
  assert.ok(from >= 0, `README.md says "${after}"`);
  const match = readme.slice(from).match(new RegExp("```" + language + "\\n([\\s\\S]*?)\\n```"));
  assert.ok(match, `a ${language} block after "${after}"`);
  return match[1];
}

/** The lines of a sh block, comments dropped. */
function commands(text: string): string[] {
  return text.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean);
}

async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { success, text } = await runCommand(command, args, {
    cwd,
    env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
    timeoutMs: 180_000,
  });
  assert.ok(success, `${command} ${args.join(" ")} failed in ${cwd}:\n${text}`);
  return text;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** A server process; `await using` stops it. Its output is kept for messages. */
function spawn(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = new Deno.Command(command, {
    args,
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  return {
    output: () => output,
    [Symbol.asyncDispose]: () => stopProcess(child, drained),
  };
}

/** Starts a job on the server at `url` (retrying while it starts up) and reads its stream to the end. */
async function streamJob(url: string, output: () => string): Promise<unknown[]> {
  let started: Response | undefined;
  for (let i = 0; i < 300 && started === undefined; i++) {
    started = await fetch(`${url}/start`).catch(() => undefined);
    if (started === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(started, `the server did not answer at ${url}:\n${output()}`);
  const { log_job_id } = await started.json();
  await using client = await SseClient.open(`${url}/log/${log_job_id}/stream`);
  const seen: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    const event = await client.nextEvent(10_000);
    assert.ok(event, `the stream ended before done:\n${output()}`);
    const data = JSON.parse(event.data);
    seen.push(data.message ?? data.url ?? data.event);
    if (data.event === "done") break;
  }
  return seen;
}

const EXPECTED = [
  "Starting…",
  "https://example.com/a",
  "Processed https://example.com/a",
  "https://example.com/b",
  "Processed https://example.com/b",
  "done",
];

Deno.test("README: deno task pack, npm install ./streamator-*.tgz, then server.ts on Deno, Bun and Node", async (t) => {
  const install = commands(block("sh", "The packages are not published yet"));
  assert.deepEqual(install, [
    "npx -y deno@2.9.6 task pack",
    "cp streamator-*.tgz ../my-app/ && cd ../my-app",
    "npm install ./streamator-*.tgz",
    "npm install tsx",
  ]);
  const serveLines = commands(block("sh", "serve it with the line for your runtime"));
  assert.deepEqual(serveLines, [
    "deno serve --allow-net=127.0.0.1 --port 8080 server.ts",
    "bun --port=8080 server.ts",
    "npx tsx node.ts",
  ]);
  await nodeBin(); // npx tsx runs the node on PATH: Node 20 or later
  const app = await Deno.makeTempDir({ prefix: "streamator-app-" });
  try {
    await t.step("deno task pack writes the tarballs", async () => {
      const out = await run(Deno.execPath(), ["task", "pack"], ROOT);
      const tarballs = [...out.matchAll(/wrote (\S+\.tgz)/g)].map((match) => match[1]);
      assert.deepEqual(tarballs.map((path) => path.split("/").at(-1)), [
        "streamator-0.1.0.tgz",
        "streamator-react-0.1.0.tgz",
      ]);
      for (const tarball of tarballs) {
        await Deno.copyFile(tarball, `${app}/${tarball.split("/").at(-1)}`);
        await Deno.remove(tarball);
      }
    });
    await t.step("npm install ./streamator-*.tgz in a fresh project", async () => {
      await run("npm", ["init", "-y"], app);
      await run("bash", ["-c", "npm install --no-audit --prefer-offline ./streamator-*.tgz"], app);
      // Without it, `npx tsx` in a fresh project asks to download tsx, and fails with no terminal.
      await run("npm", ["install", "--no-audit", "--prefer-offline", "tsx"], app);
      const installed = JSON.parse(await Deno.readTextFile(`${app}/package.json`)).dependencies;
      assert.deepEqual(Object.keys(installed).sort(), ["streamator", "streamator-react", "tsx"]);
    });
    await Deno.writeTextFile(`${app}/server.ts`, block("ts", "Save it as `server.ts`") + "\n");
    await Deno.writeTextFile(`${app}/node.ts`, block("ts ignore", "with node.ts:") + "\n");

    await t.step("deno serve", async () => {
      const port = freePort();
      const args = serveLines[0].replace("8080", String(port)).split(" ").slice(1);
      await using server = spawn(Deno.execPath(), args, app);
      assert.deepEqual(await streamJob(`http://127.0.0.1:${port}`, server.output), EXPECTED);
      assert.doesNotMatch(server.output(), /legacy behavior/, "no legacy-abort notice");
    });
    await t.step("bun", async () => {
      const port = freePort();
      const args = serveLines[1].replace("8080", String(port)).split(" ").slice(1);
      await using server = spawn(toolBin("bun"), args, app);
      assert.deepEqual(await streamJob(`http://127.0.0.1:${port}`, server.output), EXPECTED);
    });
    await t.step("Node 20: npx tsx node.ts", async () => {
      const port = freePort();
      // `npx --no` never downloads: it finds the tsx that `npm install tsx` put in the project.
      assert.match(await run("npx", ["--no", "--", "tsx", "--version"], app), /tsx v\d/);
      // The server runs as npx runs it, without npx in between: npx does not pass SIGTERM on.
      const [, bin, ...args] = serveLines[2].split(" ");
      await using server = spawn(`${app}/node_modules/.bin/${bin}`, args, app, {
        PORT: String(port),
      });
      assert.deepEqual(await streamJob(`http://127.0.0.1:${port}`, server.output), EXPECTED);
    });
  } finally {
    await Deno.remove(app, { recursive: true });
  }
});
