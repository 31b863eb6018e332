// npm smoke test: a consumer of `streamator/node`, checked by tsc under the
// Node-only tsconfig (@types/node, no DOM, skipLibCheck false): Node's own
// req/res fit the adapter's types, with and without `next`.
import http from "node:http";
import { createLogHandler } from "streamator";
import { type NodeHandler, toNodeHandler } from "streamator/node";

const logs: NodeHandler = toNodeHandler(createLogHandler({ prefix: "/log" }));
export const server: http.Server = http.createServer(logs);
export const middleware = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (error?: unknown) => void,
): Promise<void> => logs(req, res, next);
