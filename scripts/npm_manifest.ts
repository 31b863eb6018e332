/**
 * What each built npm package carries besides its modules: `package.json`
 * (exports map, sideEffects, engines, peers), README, LICENSE and assets.
 *
 * @module
 */
import { exists, type NpmPackage, outPath, ROOT } from "./npm_packages.ts";
import { npmNames } from "./npm_names.ts";

/**
 * The Node versions the packages declare: the core needs Node 20's Web globals,
 * and the AWS SDK versions the tests pin (the `streamator/dynamo` peers)
 * declare Node 20 too. The tests run under Node 20.
 */
export const NODE_ENGINES = ">=20";

/** What one package's build produced. */
export interface Built {
  pkg: NpmPackage;
  dir: string;
  entries: Record<string, string>;
  dependencies: Record<string, string>;
  peers: Record<string, string>;
  /** Every source file compiled. */
  files: string[];
}

/** Writes the package's package.json, README, LICENSE and assets into its folder. */
export function writePackageFiles(built: Built, version: string): void {
  const { pkg, dir, entries } = built;
  const exports: Record<string, unknown> = {};
  const typesVersions: Record<string, string[]> = {};
  for (const [subpath, file] of Object.entries(entries)) {
    const js = `./esm/${outPath(pkg, file)}`;
    exports[subpath] = { types: js.replace(/\.js$/, ".d.ts"), default: js };
    if (subpath !== ".") typesVersions[subpath.slice(2)] = [js.replace(/\.js$/, ".d.ts")];
  }
  const assets = Object.entries(pkg.assets ?? {});
  for (const [subpath, file] of assets) {
    Deno.copyFileSync(`${ROOT}/${file}`, `${dir}/${subpath.slice(2)}`);
    exports[subpath] = subpath;
  }
  exports["./package.json"] = "./package.json";
  const main = `./esm/${outPath(pkg, entries["."])}`;
  const sideEffects = [
    ...(pkg.sideEffectDirs ?? []).filter((d) => built.files.some((file) => file.startsWith(d)))
      .map((d) => `./esm/${outPath(pkg, d)}*.js`),
    ...(assets.length > 0 ? ["*.css"] : []),
  ];
  const optional = (pkg.optionalPeers ?? []).filter((name) => built.peers[name]);
  const manifest: Record<string, unknown> = {
    name: pkg.name,
    version,
    description: pkg.description,
    license: "MIT",
    type: "module",
    main,
    types: main.replace(/\.js$/, ".d.ts"),
    exports,
    ...(Object.keys(typesVersions).length > 0 ? { typesVersions: { "*": typesVersions } } : {}),
    files: ["esm", ...assets.map(([subpath]) => subpath.slice(2)), "README.md", "LICENSE"],
    sideEffects: sideEffects.length > 0 ? sideEffects : false,
    engines: { node: NODE_ENGINES },
    ...(Object.keys(built.dependencies).length > 0 ? { dependencies: built.dependencies } : {}),
    ...(Object.keys(built.peers).length > 0 ? { peerDependencies: built.peers } : {}),
    ...(optional.length > 0
      ? { peerDependenciesMeta: Object.fromEntries(optional.map((n) => [n, { optional: true }])) }
      : {}),
  };
  Deno.writeTextFileSync(`${dir}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
  Deno.copyFileSync(`${ROOT}/LICENSE`, `${dir}/LICENSE`);
  const own = `${ROOT}/${pkg.root}README.md`;
  const readme = Deno.readTextFileSync(pkg.root !== "" && exists(own) ? own : `${ROOT}/README.md`);
  Deno.writeTextFileSync(`${dir}/README.md`, npmNames(readme));
}
