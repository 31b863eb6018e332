/**
 * The README's wire protocol section shows what the server really sends: its
 * stream example is the body of a real response, byte for byte (the block
 * ends before the last blank line), and its entry examples are entries
 * `JobLogger` writes. docs/runtimes.md's stream example is a real body too.
 */
import assert from "node:assert/strict";
import { createLogHandler, MemoryStore } from "../mod.ts";
import { serve } from "./support/serve.ts";
import { ROOT } from "./support/tools.ts";

const readme = await Deno.readTextFile(`${ROOT}/README.md`);
const section = readme.slice(readme.indexOf("## Wire protocol"), readme.indexOf("## Development"));

function block(language: string, after: string): string {
  const from = section.indexOf(after);
  const match = section.slice(from).match(new RegExp("```" + language + "\\n([\\s\\S]*?)\\n```"));
  assert.ok(match, `a ${language} block after "${after}"`);
  return match[1];
}

Deno.test("the README's stream example is a real response body", async () => {
  const shown = block("text", "### The stream");
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store, heartbeatMs: 20 }));
  store.create("readme-job");
  const [first, second] = shown.split("\n").filter((line) =>
    line.startsWith('data: {"event":"log"')
  );
  store.append("readme-job", first.slice(6));
  // Bounded: a stream that stops sending fails here instead of hanging.
  const response = await fetch(`${server.url}/log/readme-job/stream`, {
    signal: AbortSignal.timeout(10_000),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (let i = 0; i < 1_000 && !text.includes(": ping\n"); i++) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  store.append("readme-job", second.slice(6));
  await store.close("readme-job");
  for (let i = 0; i < 1_000; i++) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  // However many heartbeats went by, the README shows one.
  assert.equal(text.replace(/(: ping\n)+/, ": ping\n"), shown + "\n\n");
});

Deno.test("the README's entry examples are what the server writes", () => {
  const lines = block("json", "## Wire protocol").split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(Object.keys(lines[0]), ["event", "message", "level", "t"]);
  assert.equal(lines[0].event, "log");
  assert.deepEqual(Object.keys(lines[1]).at(-1), "t");
});

Deno.test("docs/runtimes.md's stream example is a real response body", async () => {
  const doc = await Deno.readTextFile(`${ROOT}/docs/runtimes.md`);
  const match = doc.match(/\n( *)```text\n((?:\1.*\n|\n)*?)\1```\n/);
  assert.ok(match, "docs/runtimes.md has an indented text block");
  const shown = match[2].split("\n").map((line) => line.slice(match[1].length)).join("\n");
  assert.match(shown, /^retry: 1000\n/);
  const store = new MemoryStore();
  await using server = serve(createLogHandler({ store }));
  store.create("runtimes-job");
  for (const line of shown.split("\n").filter((line) => line.startsWith('data: {"event":"log"'))) {
    store.append("runtimes-job", line.slice(6));
  }
  await store.close("runtimes-job");
  const response = await fetch(`${server.url}/log/runtimes-job/stream`);
  assert.equal(await response.text(), shown + "\n");
});
