/**
 * Test support: Debian's Chromium (`/usr/bin/chromium`, installed by
 * scripts/setup.sh) driven by `playwright-core`, headless, with a fresh
 * temporary profile. `await using` closes it, also when a test fails.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "./chromium_args.mjs";

/** Where Chromium is; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** A running browser. */
export interface TestBrowser extends AsyncDisposable {
  browser: Browser;
  /** A new tab (all tabs share one profile), recording the page's uncaught errors. */
  newPage(options?: { width?: number; height?: number }): Promise<TestPage>;
}

/** A tab and the uncaught errors its scripts threw. */
export interface TestPage {
  page: Page;
  errors: string[];
}

/** Launches headless Chromium with a fresh temporary profile (removed when it closes). */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  return {
    browser,
    async newPage(options = {}) {
      const page = await context.newPage();
      if (options.width !== undefined || options.height !== undefined) {
        await page.setViewportSize({ width: options.width ?? 1000, height: options.height ?? 800 });
      }
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      return { page, errors };
    },
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  };
}
