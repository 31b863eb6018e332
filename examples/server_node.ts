import http from "node:http";
import { toNodeHandler } from "../node/mod.ts";
import server from "./server.ts";

http.createServer(toNodeHandler(server.fetch)).listen(
  Number(process.env.PORT ?? 8080),
  "127.0.0.1",
);
