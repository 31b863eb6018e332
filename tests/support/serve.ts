/** Test support: a real HTTP server on 127.0.0.1, port 0, stopped at the end of a `using` block. */

/** A running server and its base URL. */
export interface TestServer extends AsyncDisposable {
  url: string;
  server: Deno.HttpServer<Deno.NetAddr>;
}

/** Serves `handler` on 127.0.0.1 at a free port; `await using` stops it. */
export function serve(
  handler: (request: Request) => Response | null | Promise<Response | null>,
): TestServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => (await handler(request)) ?? new Response("not found", { status: 404 }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    server,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}
