/**
 * Test support: runs the conformance suite (`suite.ts`) against one server
 * process, with the handler's heartbeat shortened to {@linkcode HEARTBEAT_MS}.
 * The suite is split across files by the servers it starts, so a parallel
 * test run spreads them over the cores.
 */
import { type ServerCommand, startServerProcess } from "../support/process_server.ts";
import { ROOT } from "../support/tools.ts";
import { runChecks, type Target } from "./suite.ts";

/** The heartbeat every conformance server is started with, in ms. */
export const HEARTBEAT_MS = 100;
/** The environment of every conformance server: a free port and the short heartbeat. */
export const env: Record<string, string> = { PORT: "0", HEARTBEAT_MS: String(HEARTBEAT_MS) };

/** Starts the server, runs every check against it, then `more`, then stops it. */
export async function conformance(
  t: Deno.TestContext,
  command: ServerCommand,
  extra: Partial<Target> = {},
  more?: (target: Target) => Promise<unknown>,
) {
  await using server = await startServerProcess({ env, cwd: ROOT, ...command });
  const target: Target = { url: server.url, heartbeatMs: HEARTBEAT_MS, ...extra };
  await runChecks(t, target);
  if (more) await more(target);
}
