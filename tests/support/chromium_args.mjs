// The flags Chromium runs with in the tests and in the browser benchmark:
// headless in a container (no sandbox, no GPU) and quiet (no background
// traffic, no first-run screens). Plain JavaScript, so the benchmark's Node
// driver imports it as the tests' Deno does.

/** @type {readonly string[]} */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
