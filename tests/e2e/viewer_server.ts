/**
 * Test support for the viewer's end-to-end tests: one server on 127.0.0.1
 * with the test page (tests/e2e/viewer_page.tsx, bundled by esbuild), the
 * stylesheets, and a real log handler over a `MemoryStore`.
 */
import assert from "node:assert/strict";
import { createLogHandler, JobLogger, MemoryStore } from "../../mod.ts";
import { ROOT as ROOT_PATH, toolBin, TOOLS } from "../support/tools.ts";
import { serve } from "../support/serve.ts";
import type { Page } from "playwright-core";
import type { PageConfig } from "./viewer_page.tsx";

/** How a page looks: its config, and what the HTML around it has. */
export interface PageOptions extends PageConfig {
  /** Stylesheets to link, in order (`/log.css`, `/log-compat.css`, `/page.css`). */
  sheets?: string[];
  /** The page's own stylesheet, served as `/page.css`. */
  pageCss?: string;
  /** Classes on `<html>`. */
  htmlClass?: string;
}

/** The running server. */
export interface ViewerServer extends AsyncDisposable {
  url: string;
  store: MemoryStore;
  /** A new job in the server's store. */
  job(): JobLogger;
  /** The page's URL for these options. */
  page(options: PageOptions): string;
}

const ROOT = new URL("../../", import.meta.url);

/** Bundles the page for the browser with the pinned esbuild (React's automatic JSX runtime). */
async function bundlePage(): Promise<string> {
  const out = await new Deno.Command(toolBin("esbuild"), {
    args: [
      `${ROOT_PATH}/tests/e2e/viewer_page.tsx`,
      "--bundle",
      "--format=esm",
      "--platform=browser",
      "--target=es2022",
      "--jsx=automatic",
      '--define:process.env.NODE_ENV="production"',
      "--log-level=warning",
    ],
    env: { NODE_PATH: `${TOOLS}/node_modules` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`esbuild viewer_page.tsx failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** Bundles the page and starts the server; `await using` stops it. */
export async function startViewerServer(): Promise<ViewerServer> {
  const [app, logCss, compatCss] = await Promise.all([
    bundlePage(),
    Deno.readTextFile(new URL("react/log.css", ROOT)),
    Deno.readTextFile(new URL("react/log-compat.css", ROOT)),
  ]);
  const store = new MemoryStore({ maxEntries: 200_000 });
  const logs = createLogHandler({ store, retryMs: 100 });
  const pages = new Map<string, PageOptions>();
  const server = serve(async (request) => {
    const url = new URL(request.url);
    const css = (text: string) => new Response(text, { headers: { "content-type": "text/css" } });
    if (url.pathname === "/app.js") {
      return new Response(app, { headers: { "content-type": "text/javascript" } });
    }
    if (url.pathname === "/log.css") return css(logCss);
    if (url.pathname === "/log-compat.css") return css(compatCss);
    const options = pages.get(url.searchParams.get("p") ?? "");
    if (url.pathname === "/page.css") return css(options?.pageCss ?? "");
    if (url.pathname === "/" && options) {
      const links = (options.sheets ?? ["/log.css"])
        .map((href) => `<link rel="stylesheet" href="${href}?p=${url.searchParams.get("p")}">`)
        .join("");
      return new Response(
        `<!doctype html><html class="${options.htmlClass ?? ""}"><head><meta charset="utf-8">` +
          `<title>viewer</title>${links}<style>body{font-family:system-ui,sans-serif;margin:16px}` +
          `</style></head><body><div id="root"></div><script type="module" src="/app.js"></script>` +
          `</body></html>`,
        { headers: { "content-type": "text/html; charset=utf-8" } },
      );
    }
    return await logs(request);
  });
  let pageCount = 0;
  return {
    url: server.url,
    store,
    job: () => new JobLogger({ store }),
    page(options) {
      const key = String(++pageCount);
      pages.set(key, options);
      const config: PageConfig = {
        url: options.url,
        viewer: options.viewer,
        props: options.props,
        maxRetries: options.maxRetries,
        eventsUrl: options.eventsUrl,
      };
      return `${server.url}/?p=${key}&c=${encodeURIComponent(JSON.stringify(config))}`;
    },
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/** Opens the page for `options` and waits (up to `timeoutMs`) until its stream is done with `count` entries. */
export async function openDone(
  page: Page,
  server: ViewerServer,
  options: PageOptions,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  await page.goto(server.page(options));
  await page.waitForSelector(`main[data-status="done"][data-count="${count}"]`, {
    timeout: timeoutMs,
  });
}

/** The text of the search's count ("3 of 10"). */
export function searchCount(page: Page): Promise<string | null> {
  return page.locator(".streamator-viewer-count").first().textContent();
}

const E = "\x1b[";

/** A closed job with ANSI colours, HTML in a message and a few levels. */
export async function ansiJob(server: ViewerServer): Promise<JobLogger> {
  const ansi = server.job();
  ansi.log(`${E}1;32m✔ PASS${E}0m src/parse.test.ts ${E}2m(12 ms)${E}22m`, "success");
  ansi.log(`${E}1;31m✖ FAIL${E}0m src/wire.test.ts`, "error");
  ansi.log(`  ${E}31m- expected${E}39m  ${E}32m+ received${E}39m`);
  ansi.log(`${E}38;5;208m256-colour orange${E}0m and ${E}38;2;90;120;250mtruecolor blue${E}0m`);
  ansi.log(`${E}4munderlined${E}24m ${E}3mitalic${E}23m ${E}7m reverse ${E}27m`);
  ansi.log(`${E}2K${E}1G\x1b]0;title\x07Progress 100%${E}?25h`);
  ansi.log(`<script>window.__xss = 1</script><img src=x onerror="window.__xss = 1">`, "warning");
  await ansi.close();
  return ansi;
}

/**
 * A screenshot of the viewer on `page`, for the README: written to
 * docs/`name` with STREAMATOR_SCREENSHOT=1, else to a temp file that is
 * removed. Either way it must be a PNG of more than 5,000 bytes.
 */
export async function viewerScreenshot(
  page: Page,
  name: string,
  options: { animations?: "disabled" } = {},
): Promise<void> {
  const path = Deno.env.get("STREAMATOR_SCREENSHOT") === "1"
    ? new URL(`../../docs/${name}`, import.meta.url).pathname
    : await Deno.makeTempFile({ suffix: ".png" });
  try {
    await page.mouse.move(0, 0);
    await page.locator(".streamator-viewer").screenshot({ path, ...options });
    const png = await Deno.readFile(path);
    assert.deepEqual([...png.subarray(1, 4)], [...new TextEncoder().encode("PNG")]);
    assert.ok(png.length > 5_000, `${png.length} bytes`);
  } finally {
    if (!path.includes("/docs/")) await Deno.remove(path);
  }
}
