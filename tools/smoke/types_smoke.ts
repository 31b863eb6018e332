// npm smoke test: a consumer's TypeScript, checked by tsc against the installed
// package's .d.ts (moduleResolution node16, as Node ESM projects use).
import { createLogHandler, JobLogger, type LogHandler, MemoryStore } from "streamator";

const store = new MemoryStore({ maxEntries: 10 });
const logger: JobLogger = new JobLogger({ store });
logger.log("typed", "warning");
logger.emit("page", { url: "https://example.com" });
const handler: LogHandler = createLogHandler({ prefix: "/log", store });
export const answer: Promise<Response | null> = handler(new Request("http://x/log/a/stream"));
// @ts-expect-error: "debug" is no level
logger.log("x", "debug");
