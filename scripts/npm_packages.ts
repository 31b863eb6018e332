/**
 * The npm packages built from the sources (the table `scripts/build_npm.ts`
 * builds), and where each source file goes in them.
 *
 * @module
 */

/** One npm package built from the sources. */
export interface NpmPackage {
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

export const PACKAGES: NpmPackage[] = [
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

/** The repository's root folder. */
export const ROOT: string = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** Whether a file or folder exists at `path`. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `react/log_panel.tsx` relative to `react/` as a `.js` path: `log_panel.js`;
 * a shared file of another package goes under `_shared/`.
 */
export function outPath(pkg: NpmPackage, file: string): string {
  const path = isShared(pkg, file) ? `_shared/${file}` : file.slice(pkg.root.length);
  return path.replace(/\.tsx?$/, ".js");
}

/** Whether `file` is one of `pkg.shared`, or in one of its folders. */
export function isShared(pkg: NpmPackage, file: string): boolean {
  return (pkg.shared ?? []).some((path) =>
    path.endsWith("/") ? file.startsWith(path) : file === path
  );
}

/** The package a source file belongs to, if any. */
export function ownerOf(file: string): NpmPackage | undefined {
  return PACKAGES.find((pkg) =>
    file.startsWith(pkg.root) && !(pkg.exclude ?? []).some((dir) => file.startsWith(dir))
  );
}

/** Where a source file is staged: its output path with its own extension. */
export function staged(pkg: NpmPackage, file: string): string {
  return outPath(pkg, file).replace(/\.js$/, file.match(/\.tsx?$/)![0]);
}
