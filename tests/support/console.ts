/** Test support: what a body warned through `console.warn`, kept out of the test output. */

/** Runs `body` with `console.warn` captured; resolves to each warning's text. */
export async function capturingWarnings(body: () => unknown): Promise<string[]> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return warnings;
}
