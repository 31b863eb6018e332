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
import {
  exists,
  isShared,
  type NpmPackage,
  outPath,
  ownerOf,
  PACKAGES,
  ROOT,
  staged,
} from "./npm_packages.ts";
import { importMap, mapSpecifier, npmName, npmNames } from "./npm_names.ts";
import { type Built, writePackageFiles } from "./npm_manifest.ts";

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

function relative(fromFile: string, toFile: string): string {
  const from = dirname(fromFile).split("/").filter(Boolean);
  const to = toFile.split("/");
  let common = 0;
  while (common < from.length && from[common] === to[common]) common++;
  const up = from.slice(common).map(() => "..");
  const path = [...up, ...to.slice(common)].join("/");
  return path.startsWith("..") ? path : `./${path}`;
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
          errors.push(
            `${file} imports ${name}: list it in peers of ${pkg.name} in npm_packages.ts`,
          );
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
    writePackageFiles(built, version);
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
