/**
 * Test support: bundles a TypeScript entry into one ES module with the pinned
 * esbuild, into `tools/.cache/` (git-ignored) so that imports left external
 * resolve from `tools/node_modules`.
 */
import { ROOT, toolBin, TOOLS } from "./tools.ts";

/** How to bundle: `node` keeps npm packages external; `worker` inlines everything. */
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
    ...(target === "node"
      ? ["--platform=node", "--target=node20", "--packages=external"]
      : ["--platform=neutral", "--target=es2022", "--main-fields=module,main"]),
  ];
  const out = await new Deno.Command(toolBin("esbuild"), { args, stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`esbuild ${entry} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return outfile;
}
