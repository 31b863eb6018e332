/**
 * The client entry type-checks in a project without the DOM lib: a Node
 * project's tsconfig (`lib: ["es2022"]`, `@types/node`), checked by
 * TypeScript itself against the client's declarations, as a project that
 * installs the package sees them.
 */
import assert from "node:assert/strict";
import ts from "typescript";

const ROOT = new URL("../", import.meta.url).pathname;

/**
 * The client entry's declarations (`.d.ts`), emitted as the npm build does:
 * what a project that installs the package type-checks against.
 */
function emitDeclarations(outDir: string): void {
  const program = ts.createProgram([`${ROOT}client/mod.ts`], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    strict: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: ROOT,
    outDir,
  });
  const { diagnostics } = program.emit();
  assert.deepEqual(
    diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    [],
  );
}

let emitted: string | undefined;

/** The client's declarations, emitted once for this file's tests: the folder that holds mod.d.ts. */
function declarations(): string {
  if (emitted === undefined) {
    const dir = Deno.makeTempDirSync({ prefix: "client-declarations-" });
    emitDeclarations(dir);
    emitted = `${dir}/client`;
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  }
  return emitted;
}

/**
 * Type-checks `code` (a consumer's file, importing the client as `CLIENT`)
 * under a Node project's tsconfig: `lib: ["es2022"]`, `@types/node`, no DOM,
 * and the declarations checked too. Returns the errors as text.
 */
function checkWithoutDom(code: string): string[] {
  const dir = Deno.makeTempDirSync({ prefix: "client-no-dom-" });
  try {
    const file = `${dir}/consumer.ts`;
    Deno.writeTextFileSync(file, code.replaceAll("CLIENT", `${declarations()}/mod.ts`));
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      lib: ["lib.es2022.d.ts"],
      types: ["node"],
      typeRoots: [`${ROOT}tools/node_modules/@types`],
    });
    return ts.getPreEmitDiagnostics(program).map((d) =>
      `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("the client entry type-checks in a Node project without the DOM lib", () => {
  const errors = checkWithoutDom(`
    import {
      createLogStream,
      type Credentials,
      type HeadersFunction,
      type LogStreamOptions,
      type LogStreamState,
    } from "CLIENT";

    const headers: HeadersFunction = async () => ({ Authorization: "Bearer t" });
    const credentials: Credentials = "include";
    const options: LogStreamOptions = { headers, credentials, maxRetries: 3 };
    const stream = createLogStream("http://127.0.0.1:8000/log/abc/stream", options);
    const state: LogStreamState = stream.getSnapshot();
    const texts: string[] = state.logs.map((entry) => entry.text);
    createLogStream("http://127.0.0.1:8000/log/abc/stream", { headers: [["X-Token", "t"]] });
    createLogStream("http://127.0.0.1:8000/log/abc/stream", { headers: new Headers({ a: "b" }) });
    export { texts };
  `);
  assert.deepEqual(errors, []);
});

Deno.test("the Node-only check refuses what the DOM would refuse", () => {
  // The same check finds errors: a wrong credentials value, and a DOM-only global.
  const errors = checkWithoutDom(`
    import { createLogStream } from "CLIENT";
    createLogStream("/log/abc/stream", { credentials: "always" });
    const element = document.body;
    export { element };
  `);
  assert.equal(errors.length, 2, errors.join("\n"));
  assert.match(errors.join("\n"), /"always"/);
  assert.match(errors.join("\n"), /Cannot find name 'document'/);
});
