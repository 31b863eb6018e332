/**
 * Names rewritten for npm: `deno.json` import-map names and `npm:`
 * specifiers to npm package names, and JSR names in text to npm names.
 *
 * @module
 */
import { ROOT } from "./npm_packages.ts";

/** The import map of deno.json: bare name → `npm:name@version[/path]`. */
export function importMap(): Record<string, string> {
  const config = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  return config.imports ?? {};
}

/** `npm:@scope/name@1.2.3/sub/path` → `@scope/name/sub/path` (and the name alone). */
export function npmName(specifier: string): { spec: string; name: string } {
  const rest = specifier.replace(/^npm:\/?/, "");
  const match = rest.match(/^((?:@[^/]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/);
  if (!match) throw new Error(`cannot read npm specifier ${specifier}`);
  const name = match[1];
  return { spec: name + (match[2] ?? "").replace(/\/$/, ""), name };
}

/** The `npm:` specifier an import-map name (or a name under a mapped prefix) stands for. */
export function mapSpecifier(specifier: string, imports: Record<string, string>): string {
  if (imports[specifier]) return imports[specifier];
  const prefix = Object.keys(imports).find((key) =>
    key.endsWith("/") && specifier.startsWith(key)
  )!;
  return imports[prefix] + specifier.slice(prefix.length);
}

/** JSR names in docs, examples and messages, as npm users write them. */
export function npmNames(text: string): string {
  return text
    .replaceAll("jsr:@streamator/core", "streamator")
    .replaceAll("@streamator/core/react", "streamator-react")
    .replaceAll("@streamator/core/dynamo", "streamator/dynamo")
    .replaceAll("@streamator/core/node", "streamator/node")
    .replaceAll("@streamator/core/client", "streamator/client")
    .replaceAll("@streamator/core/cloudflare", "streamator/cloudflare")
    .replaceAll("@streamator/core", "streamator");
}
