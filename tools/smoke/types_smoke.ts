// npm smoke test: a consumer's TypeScript, checked by tsc against the installed
// package's .d.ts (moduleResolution node16, as Node ESM projects use), once
// under a Node-only tsconfig (lib es2022, @types/node, no DOM) and once under
// a DOM tsconfig, both with skipLibCheck false.
import {
  createLogHandler,
  JobLogger,
  type LogHandler,
  MemoryStore,
} from "streamator";
import {
  createLogStream,
  type HeadersFunction,
  type LogStreamClient,
  type LogStreamState,
} from "streamator/client";

const store = new MemoryStore({ maxEntries: 10 });
const logger: JobLogger = new JobLogger({ store });
logger.log("typed", "warning");
logger.emit("page", { url: "https://example.com" });
const name: string = "from a variable";
logger.emit(name);
const handler: LogHandler = createLogHandler({ prefix: "/log", store });
export const answer: Promise<Response | null> = handler(
  new Request("http://x/log/a/stream"),
);

// The client without React: its types need no DOM lib.
const headers: HeadersFunction = async () => ({ Authorization: "Bearer t" });
const stream: LogStreamClient = createLogStream("http://x/log/a/stream", {
  headers,
  credentials: "include",
  giveUpAfter: 10_000,
});
export const state: LogStreamState = stream.getSnapshot();

// Mistakes the types catch:
// @ts-expect-error: "debug" is no level
logger.log("x", "debug");
// @ts-expect-error: "done" is reserved by the stream
logger.emit("done");
// @ts-expect-error: "missed" is reserved by the stream
logger.emit("missed", { count: 1 });
// @ts-expect-error: no store is called "dyanmo"
new JobLogger({ store: "dyanmo" });
// @ts-expect-error: "always" is no credentials mode
createLogStream("http://x/log/a/stream", { credentials: "always" });
