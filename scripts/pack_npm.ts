/**
 * `deno task pack`: builds the npm packages (scripts/build_npm.ts, into
 * `npm/`) and packs each with `npm pack`, writing `streamator-VERSION.tgz`
 * and `streamator-react-VERSION.tgz` into the repository's root (or the
 * folder given with `--out`). Install them in a project with
 * `npm install ./streamator-*.tgz`.
 */
import { buildNpm } from "./build_npm.ts";
import * as esbuild from "esbuild";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** Packs every built package into `outDir`; returns the paths of the tarballs. */
export async function packNpm(outDir = ROOT): Promise<string[]> {
  const tarballs: string[] = [];
  for (const dir of await buildNpm()) {
    const out = await new Deno.Command("npm", {
      args: ["pack", "--json", "--pack-destination", outDir],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { npm_config_update_notifier: "false", npm_config_fund: "false" },
    }).output();
    if (!out.success) {
      throw new Error(`npm pack failed in ${dir}:\n${new TextDecoder().decode(out.stderr)}`);
    }
    const [{ filename }] = JSON.parse(new TextDecoder().decode(out.stdout));
    tarballs.push(`${outDir}/${filename}`);
  }
  return tarballs;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--out");
  try {
    for (const tarball of await packNpm(at >= 0 ? Deno.args[at + 1] : undefined)) {
      console.log(`wrote ${tarball}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exitCode = 1;
  } finally {
    await esbuild.stop();
  }
}
