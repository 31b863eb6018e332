/** Test support: a real HTTP server that answers only when released, for jobs that wait on a slow fetch. */
import { serve } from "./serve.ts";

/** A slow server: each request is held until the server is disposed (or 20 s pass). */
export interface SlowServer extends AsyncDisposable {
  url: string;
  /** Resolves once the first request arrived. */
  started: Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that answers only when released (or after 20 s). */
export function slowServer(): SlowServer {
  let arrived!: () => void;
  const started = new Promise<void>((resolve) => arrived = resolve);
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const server = serve(async () => {
    arrived();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([released, new Promise((resolve) => timer = setTimeout(resolve, 20_000))]);
    clearTimeout(timer);
    return new Response("too late");
  });
  return {
    url: server.url,
    started,
    async [Symbol.asyncDispose]() {
      release();
      await server[Symbol.asyncDispose]();
    },
  };
}
