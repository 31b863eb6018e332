/**
 * Test support: an HTTP proxy in front of dynalite that answers chosen
 * DynamoDB operations with the errors DynamoDB sends when throttling
 * (`400` with `x-amzn-ErrorType` and a JSON `__type`), and can hold every
 * request until released (to change the table under a reader that cannot
 * see it meanwhile). `await using` stops it.
 */

/** A throttling error DynamoDB answers. */
export type ThrottleError = "ProvisionedThroughputExceededException" | "ThrottlingException";

/** A running proxy. */
export interface FaultProxy extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Answers the next `count` requests of `operation` (e.g. "BatchWriteItem") with `error`. */
  throttle(operation: string, count: number, error: ThrottleError): void;
  /** Requests of each operation that reached the proxy, throttled ones included. */
  seen: Map<string, number>;
  /** Requests answered with a throttling error, per operation. */
  throttled: Map<string, number>;
  /** Holds every request from now on until `release()`. */
  hold(): void;
  release(): void;
}

/** Starts a proxy to `target` (dynalite's endpoint) on 127.0.0.1 at a free port. */
export function startFaultProxy(target: string): FaultProxy {
  const plans = new Map<string, { count: number; error: ThrottleError }>();
  const seen = new Map<string, number>();
  const throttled = new Map<string, number>();
  let held: Promise<void> | undefined;
  let release = () => {};
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const operation = (request.headers.get("x-amz-target") ?? "").split(".").pop() ?? "?";
    bump(seen, operation);
    if (held !== undefined) await held;
    const plan = plans.get(operation);
    if (plan !== undefined && plan.count > 0) {
      plan.count--;
      bump(throttled, operation);
      await request.body?.cancel();
      const type = `com.amazonaws.dynamodb.v20120810#${plan.error}`;
      return new Response(
        JSON.stringify({ __type: type, message: `${plan.error} from the test proxy` }),
        {
          status: 400,
          headers: {
            "content-type": "application/x-amz-json-1.0",
            "x-amzn-ErrorType": plan.error,
            "x-amzn-RequestId": crypto.randomUUID(),
          },
        },
      );
    }
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: await request.arrayBuffer(),
    });
    return new Response(await upstream.arrayBuffer(), {
      status: upstream.status,
      headers: upstream.headers,
    });
  });
  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    throttle(operation, count, error) {
      plans.set(operation, { count, error });
    },
    seen,
    throttled,
    hold() {
      held ??= new Promise((resolve) => {
        release = () => {
          held = undefined;
          resolve();
        };
      });
    },
    release: () => release(),
    async [Symbol.asyncDispose]() {
      release();
      await server.shutdown();
    },
  };
}
