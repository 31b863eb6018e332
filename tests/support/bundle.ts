/**
 * Test support: bundles a TypeScript entry into one ES module with the pinned
 * esbuild, into `tools/.cache/` (git-ignored) so that imports left external
 * resolve from `tools/node_modules`.
 */
import { ROOT, toolBin, TOOLS } from "./tools.ts";

/**
 * How to bundle: `node` keeps npm packages external; `worker` inlines
 * everything (npm packages from `tools/node_modules`), choosing each package's
 * browser/worker build as Cloudflare's bundler does, so the AWS SDK uses `fetch`;
 * the runtime's own modules (`cloudflare:workers`) stay imports.
 */
export type BundleTarget = "node" | "worker";

/** Bundles `entry` (a path from the repository root); resolves to the output's path. */
export async function bundle(entry: string, name: string, target: BundleTarget): Promise<string> {
  const outfile = `${TOOLS}/.cache/conformance/${name}.mjs`;
  const args = [
    `${ROOT}/${entry}`,
    "--bundle",
    "--format=esm",
    "--log-level=warning",
    `--outfile=${outfile}`,
    ...(target === "node" ? ["--platform=node", "--target=node20", "--packages=external"] : [
      "--platform=browser",
      "--conditions=workerd,worker",
      "--target=es2022",
      "--external:cloudflare:*",
    ]),
  ];
  const out = await new Deno.Command(toolBin("esbuild"), {
    args,
    env: { NODE_PATH: `${TOOLS}/node_modules` },
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`esbuild ${entry} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return outfile;
}
