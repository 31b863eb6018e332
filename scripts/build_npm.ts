/**
 * Builds the npm packages from the Deno sources, as dnt would (dnt itself is
 * JSR-only and out of reach): `npm/streamator` (the core, `./client`, `./node`, `./dynamo`,
 * `./redis` and `./cloudflare`)
 * and `npm/streamator-react`.
 *
 * Each source file becomes an ES module (`.js`) and its declarations
 * (`.d.ts`) with TypeScript and esbuild from `deno.json`'s imports (npm
 * specifiers, so `deno install` is all the build needs). The sources are
 * type-checked by `deno check`; the build emits declarations from their
 * annotations (they are "no slow types" clean for JSR), and the npm smoke test
 * type-checks a consumer against them with the peers' real types. Import
 * specifiers are rewritten: `./x.ts` and `./x.tsx` to `./x.js`, `npm:` and
 * import-map names to npm package names, and a file of another package to that
 * package's name. Then each package gets its `package.json` (exports map,
 * sideEffects, peers), README and LICENSE. publint and
 * `@arethetypeswrong/cli` check the result in `tests/npm_smoke_test.ts`.
 *
 * Usage: `deno task build:npm` or `deno run -A scripts/build_npm.ts [--out DIR]`.
 *
 * @module
 */
import * as esbuild from "esbuild";
import ts from "typescript";

/** One npm package built from the sources. */
interface NpmPackage {
  name: string;
  description: string;
  /** The source folder that becomes the package root ("" for the repository root). */
  root: string;
  /** Subpath → entry file; a missing one stops the build. */
  entries: Record<string, string>;
  /** Subpath → a file copied as it is (CSS). */
  assets?: Record<string, string>;
  /** npm package → version range, for bare imports the package's files make. */
  peers?: Record<string, string>;
  /** Peers a user installs only for one subpath. */
  optionalPeers?: string[];
  /** Source folders whose modules do something on import (register a store): kept by bundlers. */
  sideEffectDirs?: string[];
  /** Source folders under `root` that belong to another package. */
  exclude?: string[];
  /**
   * Files (or folders, ending in `/`) of another package that this one
   * imports: compiled into this package under `esm/_shared/`, so it works
   * and its declarations resolve without depending on the other package.
   */
  shared?: string[];
  /**
   * Compile JSX to `React.createElement` instead of `react/jsx-runtime`: React
   * 17 has no `exports` map, so `react/jsx-runtime` does not resolve from Node
   * ES modules (nor from bundlers that require full paths in ES modules), while
   * `createElement` from `react` works on React 17, 18 and 19 alike.
   */
  classicJsx?: boolean;
}

const PACKAGES: NpmPackage[] = [
  {
    name: "streamator",
    description:
      "The live log of a long-running job, streamed to the browser: JobLogger and a Web-standard SSE handler for Deno, Bun, Cloudflare Workers and Node.",
    root: "",
    entries: {
      ".": "mod.ts",
      "./client": "client/mod.ts",
      "./dynamo": "dynamo/mod.ts",
      "./node": "node/mod.ts",
      "./cloudflare": "cloudflare/mod.ts",
      "./redis": "redis/mod.ts",
    },
    peers: {
      "@aws-sdk/client-dynamodb": "^3.0.0",
      "@aws-sdk/lib-dynamodb": "^3.0.0",
      "@redis/client": "^6.0.0",
    },
    optionalPeers: ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@redis/client"],
    sideEffectDirs: ["dynamo/", "redis/"],
    exclude: ["react/"],
  },
  {
    name: "streamator-react",
    description:
      "React hook and panel for Streamator's live job logs: useLogStream, LogPanel, makeFormatEvent and default styles.",
    root: "react/",
    entries: { ".": "react/mod.ts" },
    assets: { "./log.css": "react/log.css", "./log-compat.css": "react/log-compat.css" },
    peers: { react: ">=17" },
    shared: ["server/wire.ts", "client/"],
    classicJsx: true,
  },
];

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The Node versions the packages declare: the core needs Node 20's Web globals,
 * and the AWS SDK versions the tests pin (the `streamator/dynamo` peers)
 * declare Node 20 too. The tests run under Node 20.
 */
export const NODE_ENGINES = ">=20";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The import map of deno.json: bare name → `npm:name@version[/path]`. */
function importMap(): Record<string, string> {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  return config.imports ?? {};
}

/** `npm:@scope/name@1.2.3/sub/path` → `@scope/name/sub/path` (and the name alone). */
function npmName(specifier: string): { spec: string; name: string } {
  const rest = specifier.replace(/^npm:\/?/, "");
  const match = rest.match(/^((?:@[^/]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/);
  if (!match) throw new Error(`cannot read npm specifier ${specifier}`);
  const name = match[1];
  return { spec: name + (match[2] ?? "").replace(/\/$/, ""), name };
}

function posix(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

function dirname(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut < 0 ? "" : path.slice(0, cut);
}

/**
 * `react/log_panel.tsx` relative to `react/` as a `.js` path: `log_panel.js`;
 * a shared file of another package goes under `_shared/`.
 */
function outPath(pkg: NpmPackage, file: string): string {
  const path = isShared(pkg, file) ? `_shared/${file}` : file.slice(pkg.root.length);
  return path.replace(/\.tsx?$/, ".js");
}

/** Whether `file` is one of `pkg.shared`, or in one of its folders. */
function isShared(pkg: NpmPackage, file: string): boolean {
  return (pkg.shared ?? []).some((path) =>
    path.endsWith("/") ? file.startsWith(path) : file === path
  );
}

function relative(fromFile: string, toFile: string): string {
  const from = dirname(fromFile).split("/").filter(Boolean);
  const to = toFile.split("/");
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => "..");
  const path = [...up, ...to.slice(common)].join("/");
  return path.startsWith("..") ? path : `./${path}`;
}

function ownerOf(file: string): NpmPackage | undefined {
  return PACKAGES.find((pkg) =>
    file.startsWith(pkg.root) && !(pkg.exclude ?? []).some((dir) => file.startsWith(dir))
  );
}

/** What one package's build produced. */
interface Built {
  pkg: NpmPackage;
  dir: string;
  entries: Record<string, string>;
  dependencies: Record<string, string>;
  peers: Record<string, string>;
  /** Every source file compiled. */
  files: string[];
}

/**
 * Copies every file reachable from the package's entries into a staging
 * folder, with import specifiers rewritten for npm, then compiles them into
 * `dir/esm`.
 */
function compile(pkg: NpmPackage, dir: string, outDir: string, version: string): Built {
  const stage = Deno.makeTempDirSync({ prefix: `npm-stage-${pkg.name}-` });
  const imports = importMap();
  const entries = pkg.entries;
  const missing = Object.values(entries).filter((file) => !exists(`${ROOT}/${file}`));
  if (missing.length > 0) {
    throw new Error(`${pkg.name}: entry files missing: ${missing.join(", ")}`);
  }
  const dependencies: Record<string, string> = {};
  const peers: Record<string, string> = {};
  const queue = Object.values(entries);
  const seen = new Set(queue);
  const errors: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = Deno.readTextFileSync(`${ROOT}/${file}`);
    const refs = ts.preProcessFile(source, true, true).importedFiles;
    let text = "";
    let at = 0;
    for (const ref of refs) {
      const specifier = ref.fileName;
      let replacement = specifier;
      if (specifier.startsWith("./") || specifier.startsWith("../")) {
        const target = posix(`${dirname(file)}/${specifier}`);
        const owner = isShared(pkg, target) ? pkg : ownerOf(target);
        if (owner === pkg) {
          replacement = relative(outPath(pkg, file), outPath(pkg, target));
          if (!seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        } else {
          const subpath = owner &&
            Object.entries(owner.entries).find(([, entry]) => entry === target)?.[0];
          if (owner === undefined || subpath === undefined) {
            errors.push(
              `${file} imports ${specifier}, which is in no package's entry; import an entry (mod.ts) instead`,
            );
            continue;
          }
          replacement = owner.name + subpath.slice(1);
          dependencies[owner.name] = `^${version}`;
        }
      } else if (specifier.startsWith("npm:") || imports[specifier] || isMapped(specifier)) {
        const mapped = specifier.startsWith("npm:") ? specifier : mapSpecifier(specifier, imports);
        const { spec, name } = npmName(mapped);
        replacement = spec;
        const range = pkg.peers?.[name];
        if (range === undefined) {
          errors.push(`${file} imports ${name}: list it in peers of ${pkg.name} in build_npm.ts`);
          continue;
        }
        peers[name] = range;
      } else if (!specifier.startsWith("node:")) {
        errors.push(`${file} imports ${specifier}, which npm cannot resolve`);
        continue;
      }
      const start = source.indexOf(specifier, ref.pos);
      text += source.slice(at, start) + replacement;
      at = start + specifier.length;
    }
    text += source.slice(at);
    write(stage, staged(pkg, file), npmNames(text));
  }
  try {
    if (errors.length > 0) throw new Error(`${pkg.name}:\n  ${errors.join("\n  ")}`);
    emit(pkg, stage, dir, outDir, [...seen].map((file) => staged(pkg, file)));
  } finally {
    Deno.removeSync(stage, { recursive: true });
  }
  return { pkg, dir, entries, dependencies, peers, files: [...seen] };

  function isMapped(specifier: string): boolean {
    return Object.keys(imports).some((key) => key.endsWith("/") && specifier.startsWith(key));
  }
}

/** Where a source file is staged: its output path with its own extension. */
function staged(pkg: NpmPackage, file: string): string {
  return outPath(pkg, file).replace(/\.js$/, file.match(/\.tsx?$/)![0]);
}

function mapSpecifier(specifier: string, imports: Record<string, string>): string {
  if (imports[specifier]) return imports[specifier];
  const prefix = Object.keys(imports).find((key) =>
    key.endsWith("/") && specifier.startsWith(key)
  )!;
  return imports[prefix] + specifier.slice(prefix.length);
}

function write(stage: string, file: string, text: string) {
  const out = `${stage}/${file}`;
  Deno.mkdirSync(dirname(out), { recursive: true });
  Deno.writeTextFileSync(out, text);
}

/**
 * Emits `.d.ts` for the staged sources as one program, from their
 * annotations, and `.js` file by file, into `dir/esm`. The peers' own types
 * are not needed: every export is annotated (JSR's "no slow types"), and the
 * declarations are checked against the real peers by the npm smoke test.
 * Packages built before this one resolve from `outDir`.
 */
function emit(pkg: NpmPackage, stage: string, dir: string, outDir: string, files: string[]) {
  const paths: Record<string, string[]> = {};
  for (const other of PACKAGES) {
    if (other === pkg || !exists(`${outDir}/${other.name}/package.json`)) continue;
    paths[other.name] = [`${outDir}/${other.name}/esm/${outPath(other, other.entries["."])}`];
    paths[`${other.name}/*`] = [`${outDir}/${other.name}/esm/*`];
  }
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts", "lib.esnext.disposable.d.ts"],
    types: [],
    strict: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    isolatedModules: true,
    rootDir: stage,
    outDir: `${dir}/esm`,
    paths,
  };
  const program = ts.createProgram(files.map((file) => `${stage}/${file}`), options);
  const result = program.emit();
  if (result.diagnostics.length > 0) {
    const host = {
      getCanonicalFileName: (name: string) => name,
      getCurrentDirectory: () => stage,
      getNewLine: () => "\n",
    };
    throw new Error(`${pkg.name}: TypeScript\n${ts.formatDiagnostics(result.diagnostics, host)}`);
  }
  for (const file of files) {
    let text = Deno.readTextFileSync(`${stage}/${file}`);
    const tsx = file.endsWith(".tsx");
    if (tsx && pkg.classicJsx) {
      text = `import { createElement as __jsx, Fragment as __Fragment } from "react";\n${text}`;
    }
    const js = ts.transpileModule(text, {
      fileName: file,
      compilerOptions: {
        target: options.target,
        module: options.module,
        ...(tsx && pkg.classicJsx
          ? { jsx: ts.JsxEmit.React, jsxFactory: "__jsx", jsxFragmentFactory: "__Fragment" }
          : { jsx: options.jsx }),
      },
    });
    const out = `${dir}/esm/${file.replace(/\.tsx?$/, ".js")}`;
    Deno.mkdirSync(dirname(out), { recursive: true });
    Deno.writeTextFileSync(out, js.outputText);
  }
}

/** JSR names in docs, examples and messages, as npm users write them. */
function npmNames(text: string): string {
  return text
    .replaceAll("jsr:@streamator/core", "streamator")
    .replaceAll("@streamator/core/react", "streamator-react")
    .replaceAll("@streamator/core/dynamo", "streamator/dynamo")
    .replaceAll("@streamator/core/node", "streamator/node")
    .replaceAll("@streamator/core/client", "streamator/client")
    .replaceAll("@streamator/core/cloudflare", "streamator/cloudflare")
    .replaceAll("@streamator/core", "streamator");
}

/** package.json, README, LICENSE and assets. */
function finish(built: Built, version: string): void {
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

/** Minified + gzipped bytes of the package's main entry, bundled with its own files. */
export async function mainEntrySize(dir: string): Promise<{ minified: number; gzipped: number }> {
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/package.json`));
  const external = Object.keys({ ...manifest.peerDependencies, ...manifest.dependencies })
    .flatMap((name) => [name, `${name}/*`]);
  const out = await esbuild.build({
    entryPoints: [`${dir}/${manifest.exports["."].default}`],
    bundle: true,
    minify: true,
    format: "esm",
    logLevel: "error",
    write: false,
    external,
  });
  const bytes = out.outputFiles[0].contents;
  const gzip = new Response(
    new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new CompressionStream("gzip")),
  );
  return { minified: bytes.length, gzipped: (await gzip.arrayBuffer()).byteLength };
}

/** Builds every package whose main entry exists into `outDir`; returns their folders. */
export async function buildNpm(
  outDir = `${ROOT}/npm`,
  options: { log?: (line: string) => void } = {},
): Promise<string[]> {
  const { log = console.log } = options;
  const version = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`)).version;
  const dirs: string[] = [];
  for (const pkg of PACKAGES) {
    const dir = `${outDir}/${pkg.name}`;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    Deno.mkdirSync(dir, { recursive: true });
    const built = compile(pkg, dir, outDir, version);
    finish(built, version);
    const size = await mainEntrySize(dir);
    log(
      `built ${pkg.name}@${version} in ${dir} (${Object.keys(built.entries).join(", ")}); ` +
        `main entry ${size.minified} B minified, ${size.gzipped} B gzipped`,
    );
    dirs.push(dir);
  }
  return dirs;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const outAt = args.indexOf("--out");
  const outDir = outAt >= 0 ? args[outAt + 1] : undefined;
  try {
    await buildNpm(outDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(1);
  } finally {
    await esbuild.stop();
  }
}
