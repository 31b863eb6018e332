/**
 * A real Next.js app (`next`, pinned in tools/) whose routes are the example
 * files of `examples/nextjs/app`, as they are. The app lives in
 * `tools/.cache/next-app/` (git-ignored) so that `next` and React resolve from
 * `tools/node_modules`; the library's sources are copied beside it with the
 * same layout, so the examples' relative imports of `mod.ts` still hold.
 */
import { ROOT, toolPackage, TOOLS } from "../support/tools.ts";

/**
 * Lays the Next.js app out in `tools/.cache/next-app-{name}/`; with `build`,
 * runs `next build` so that it is ready for `next start`. Resolves to the app's
 * folder and the path of the `next` CLI.
 */
export async function prepareNextApp(
  node: string,
  name: string,
  build: boolean,
): Promise<{ dir: string; next: string }> {
  const next = `${toolPackage("next")}/dist/bin/next`;
  const base = `${TOOLS}/.cache/next-app-${name}`;
  await Deno.remove(base, { recursive: true }).catch(() => {});
  const copy = async (path: string) => {
    await Deno.mkdir(`${base}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.copyFile(`${ROOT}/${path}`, `${base}/${path}`);
  };
  await copy("mod.ts");
  for await (const entry of Deno.readDir(`${ROOT}/server`)) {
    if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      await copy(`server/${entry.name}`);
    }
  }
  await copy("examples/demo_job.ts");
  await copy("examples/nextjs/app/jobs/route.ts");
  await copy("examples/nextjs/app/log/[...path]/route.ts");
  const dir = `${base}/examples/nextjs`;
  for (const name of ["next.config.mjs", "tsconfig.json"]) {
    await Deno.copyFile(`${ROOT}/tests/conformance/servers/nextjs/${name}`, `${dir}/${name}`);
  }
  if (!build) return { dir, next };
  const out = await new Deno.Command(node, {
    args: [next, "build", dir],
    env: { NEXT_TELEMETRY_DISABLED: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    throw new Error(`next build failed:\n${text}`);
  }
  return { dir, next };
}
