/**
 * Node adapter: {@linkcode toNodeHandler} serves the log handler (or any
 * Web-standard `fetch` handler) on `node:http`, Express, Koa or a Fastify
 * route, streaming with backpressure.
 *
 * @example Express
 * ```ts
 * import express from "express";
 * import { createLogHandler } from "@streamator/core";
 * import { toNodeHandler } from "@streamator/core/node";
 * const app = express();
 * app.use(toNodeHandler(createLogHandler({ prefix: "/log" })));
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
