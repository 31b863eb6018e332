/**
 * Test support: a real DynamoDB-compatible server (dynalite, in memory) on
 * 127.0.0.1 at a free port, run by Node from `tools/dynalite` (installed by
 * `scripts/setup_dynalite.sh`). `await using` stops it.
 */

const LAUNCHER = new URL("../../tools/dynalite/launch.mjs", import.meta.url);
const MODULES = new URL("../../tools/dynalite/node_modules/dynalite", import.meta.url);

/** A running dynalite. */
export interface Dynalite extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
}

/** What a client needs to reach dynalite: fake static credentials, us-east-1. */
export function dynaliteClient(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
}

/** The same as environment variables, for a subprocess using the default AWS chain. */
export function dynaliteEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** Starts dynalite; throws when it is not installed or does not start within 20 s. */
export async function startDynalite(): Promise<Dynalite> {
  try {
    await Deno.stat(MODULES);
  } catch {
    throw new Error("dynalite is not installed: run scripts/setup_dynalite.sh");
  }
  const child = new Deno.Command("node", {
    args: [LAUNCHER.pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = async () => {
    try {
      await child.stdin.close();
    } catch { /* already closed */ }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 5_000);
    try {
      await child.status;
    } finally {
      clearTimeout(timer);
    }
  };
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("dynalite did not start within 20 s")), 20_000);
    });
    while (!text.includes("\n")) {
      const chunk = await Promise.race([reader.read(), timeout]);
      if (chunk.done) throw new Error("dynalite exited before listening");
      text += chunk.value;
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  const port = Number(text.trim());
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: stop,
  };
}
