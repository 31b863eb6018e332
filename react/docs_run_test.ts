/**
 * The programs in docs/react.md marked `<!-- run: FLAGS -->` whose
 * `console.log` calls are followed by a `// ` comment print what those
 * comments say (`…` stands for any text), run with `deno run FLAGS` against
 * this repository through its deno.json. (tests/docs_examples_test.ts runs
 * every block; this checks the output a program promises.)
 */
import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url);
const MARK = /<!-- run: ([^>]+) -->\s*```ts\n([\s\S]*?)\n```\n/g;

/** The output a program promises: the `// ` lines right after each `console.log(...)`. */
function expectedOutput(code: string): RegExp[] {
  const lines = code.split("\n");
  const expected: RegExp[] = [];
  lines.forEach((line, i) => {
    if (!/console\.log\(/.test(line)) return;
    const comment = /^\s*\/\/ (.*)$/.exec(lines[i + 1] ?? "");
    if (comment === null) return;
    const pattern = comment[1].split("…").map((part) =>
      part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    );
    expected.push(new RegExp(`^${pattern.join(".*")}$`));
  });
  return expected;
}

const doc = await Deno.readTextFile(new URL("docs/react.md", ROOT));
const programs = [...doc.matchAll(MARK)].filter(([, , code]) => expectedOutput(code).length > 0);

Deno.test("docs/react.md has programs that say what they print", () => {
  assert.ok(programs.length >= 1);
});

for (const [, flags, code] of programs) {
  const line = doc.slice(0, doc.indexOf(code)).split("\n").length;
  Deno.test(`docs/react.md:${line}: the program prints what its comments say`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "streamator-docs-" });
    try {
      const file = `${dir}/program.ts`;
      await Deno.writeTextFile(file, code + "\n");
      const { code: status, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--config",
          new URL("deno.json", ROOT).pathname,
          ...flags.trim().split(/\s+/),
          file,
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const out = new TextDecoder().decode(stdout);
      assert.equal(status, 0, out + new TextDecoder().decode(stderr));
      const lines = out.trimEnd().split("\n");
      const expected = expectedOutput(code);
      assert.ok(expected.length > 0, "the program says what it prints");
      assert.equal(lines.length, expected.length, out);
      expected.forEach((pattern, i) => assert.match(lines[i], pattern));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
