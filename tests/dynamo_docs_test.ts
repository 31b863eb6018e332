import assert from "node:assert/strict";
import { runDeno } from "./support/run_command.ts";
import { dynaliteEnv, startDynalite } from "./support/dynalite.ts";

Deno.test("the code examples of docs/dynamo.md type-check against the real API", async () => {
  const doc = new URL("../docs/dynamo.md", import.meta.url).pathname;
  const { code, text } = await runDeno(["check", "--doc-only", doc]);
  assert.equal(code, 0, text);
  // There are examples to check (deno prints nothing when its type-check cache is warm).
  const blocks = (await Deno.readTextFile(doc)).match(/^```ts$/gm) ?? [];
  assert.ok(blocks.length >= 3, `${blocks.length} ts blocks`);
});

Deno.test("docs/dynamo.md shows examples/workers_dynamo.ts, the Worker the tests run", async () => {
  const root = new URL("../", import.meta.url);
  const doc = await Deno.readTextFile(new URL("docs/dynamo.md", root));
  const shown = doc.match(
    /<!-- example: examples\/workers_dynamo\.ts -->\s*```ts\n([\s\S]*?)\n```\n/,
  );
  assert.ok(shown, "docs/dynamo.md has no block marked examples/workers_dynamo.ts");
  const file = await Deno.readTextFile(new URL("examples/workers_dynamo.ts", root));
  const expected = file
    .replace('"../mod.ts"', '"@streamator/core"')
    .replace('"../dynamo/mod.ts"', '"@streamator/core/dynamo"')
    .trimEnd();
  assert.equal(shown[1], expected);
});

const ROOT_URL = new URL("../", import.meta.url);

/** The ts blocks of the README's DynamoDB section, runnable here: package names as local paths. */
async function readmeBlocks(endpoint: string): Promise<string[]> {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT_URL));
  const section = readme.slice(
    readme.indexOf("## DynamoDB store\n"),
    readme.indexOf("## Runtimes\n"),
  );
  return [...section.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) =>
    match[1]
      .replaceAll(
        '"@streamator/core/dynamo"',
        JSON.stringify(new URL("dynamo/mod.ts", ROOT_URL).href),
      )
      .replaceAll('"@streamator/core"', JSON.stringify(new URL("mod.ts", ROOT_URL).href))
      .replaceAll("http://127.0.0.1:4567", endpoint)
  );
}

/** Runs `code` as a program with `env` (and no AWS config files); its exit code and output. */
async function runBlock(dir: string, name: string, code: string, env: Record<string, string>) {
  const file = `${dir}/${name}.ts`;
  await Deno.writeTextFile(file, code);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      new URL("deno.json", ROOT_URL).pathname,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      "--allow-sys=osRelease",
      file,
    ],
    env: {
      NO_COLOR: "1",
      AWS_CONFIG_FILE: `${dir}/none`,
      AWS_SHARED_CREDENTIALS_FILE: `${dir}/none`,
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("the README's DynamoDB examples run: with the AWS environment, and locally", async () => {
  await using db = await startDynalite();
  const blocks = await readmeBlocks(db.endpoint);
  assert.equal(blocks.length, 2);
  const dir = await Deno.makeTempDir();
  const base = { PATH: Deno.env.get("PATH") ?? "", HOME: dir, DENO_DIR: denoDir() };
  try {
    // The environment gives the region and credentials: the job is stored and read back.
    const aws = await runBlock(dir, "aws", blocks[0], { ...base, ...dynaliteEnv(db.endpoint) });
    assert.equal(aws.code, 0, aws.stderr);
    assert.equal(aws.stdout.trim(), "true Scraping https://example.com");
    // Without a region it fails with a message that says what to set.
    const { AWS_REGION: _, ...noRegion } = dynaliteEnv(db.endpoint);
    const failed = await runBlock(dir, "no_region", blocks[0], { ...base, ...noRegion });
    assert.notEqual(failed.code, 0);
    assert.match(
      failed.stderr,
      /no AWS region was given\. Set AWS_REGION .*or pass options\.region/,
    );
    // Locally: endpoint, region and credentials as options, no environment needed.
    const local = await runBlock(dir, "local", blocks[1], base);
    assert.equal(local.code, 0, local.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Deno's cache directory, so the programs run without downloading anything. */
function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}
