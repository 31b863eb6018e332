/**
 * Test support: where the pinned npm tools (`tools/package.json`, installed by
 * `scripts/setup.sh`) and Node live. A missing tool is an error that says how
 * to install it, never a skipped test.
 */

/** The repository's root directory, as a path. */
export const ROOT: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** `tools/`: the npm project that pins every tool the tests and the npm build use. */
export const TOOLS: string = `${ROOT}/tools`;

/** The path of an executable from `tools/node_modules/.bin`; throws when it is missing. */
export function toolBin(name: string): string {
  const path = `${TOOLS}/node_modules/.bin/${name}`;
  try {
    Deno.statSync(path);
  } catch {
    throw new Error(
      `${name} is not installed (looked for ${path}); run scripts/setup.sh to install the pinned tools`,
    );
  }
  return path;
}

/** The directory of an npm package installed in `tools/`; throws when it is missing. */
export function toolPackage(name: string): string {
  const path = `${TOOLS}/node_modules/${name}`;
  try {
    Deno.statSync(`${path}/package.json`);
  } catch {
    throw new Error(
      `npm package ${name} is not installed (looked for ${path}); run scripts/setup.sh`,
    );
  }
  return path;
}

/** The `node` on PATH, checked to be at least version 20; throws otherwise. */
export async function nodeBin(): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output();
  } catch {
    throw new Error("node is not on PATH; Node 20 or later is needed (see scripts/setup.sh)");
  }
  const version = new TextDecoder().decode(out.stdout).trim();
  const major = Number(version.match(/^v(\d+)\./)?.[1]);
  if (!(major >= 20)) throw new Error(`node ${version} is too old; Node 20 or later is needed`);
  return "node";
}
