/**
 * The conformance suite on the Next.js example (examples/nextjs/app), under
 * `next dev` and under a production build served by `next start`.
 */
import { nodeBin } from "../support/tools.ts";
import { prepareNextApp } from "./next_app.ts";
import { conformance, env } from "./run.ts";

Deno.test("conformance: Next.js route handlers (examples/nextjs/app) under next dev", async (t) => {
  // In development Next.js bundles each route apart: the job's route and the
  // log route must still share the default store.
  const node = await nodeBin();
  const app = await prepareNextApp(node, "dev", false);
  await conformance(t, {
    command: node,
    args: [app.next, "dev", app.dir, "-H", "127.0.0.1", "-p", "0"],
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    ready: /Ready in/,
    startTimeoutMs: 60_000,
  }, { frameworkAnswers405: true });
});

Deno.test("conformance: Next.js route handlers (examples/nextjs/app) under next start", async (t) => {
  const node = await nodeBin();
  const app = await prepareNextApp(node, "start", true);
  await conformance(t, {
    command: node,
    args: [app.next, "start", app.dir, "-H", "127.0.0.1", "-p", "0"],
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
    ready: /Ready in/,
  }, { frameworkAnswers405: true });
});
