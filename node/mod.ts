/**
 * Node adapter: {@linkcode toNodeHandler} serves the log handler (or any
 * Web-standard `fetch` handler) on `node:http`, Express, Koa or a Fastify
 * route, streaming with backpressure.
 *
 * @example Express
 * ```ts
 * import assert from "node:assert/strict";
 * import { once } from "node:events";
 * import type { AddressInfo } from "node:net";
 * import express from "express";
 * import { createLogHandler, JobLogger } from "@streamator/core";
 * import { toNodeHandler } from "@streamator/core/node";
 * const app = express();
 * app.use(toNodeHandler(createLogHandler({ prefix: "/log" })));
 *
 * const server = app.listen(0, "127.0.0.1");
 * await once(server, "listening");
 * const { port } = server.address() as AddressInfo;
 * const logger = new JobLogger();
 * logger.log("Working…");
 * await logger.close();
 * const snapshot = await fetch(`http://127.0.0.1:${port}/log/${logger.jobId}`);
 * assert.equal((await snapshot.json()).logs[0].message, "Working…");
 * // Other paths go on to Express (here to its 404).
 * const other = await fetch(`http://127.0.0.1:${port}/other`);
 * assert.match(await other.text(), /Cannot GET \/other/);
 * server.close();
 * await once(server, "close");
 * ```
 *
 * @module
 */
export {
  type NextFunction,
  type NodeHandler,
  type NodeRequest,
  type NodeResponse,
  toNodeHandler,
  type WebHandler,
} from "./to_node_handler.ts";
