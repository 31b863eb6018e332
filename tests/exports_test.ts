/**
 * Each entry point's export list, pinned: every export is a promise to keep,
 * so adding or removing one is a decision made here, beside the CHANGELOG.
 *
 * The entry points are read from deno.json's `exports`: a new one fails this
 * test until its line is added to `PINNED`.
 */
import assert from "node:assert/strict";
import { runDeno } from "./support/run_command.ts";

/** Export subpath → every name it exports (values and types), sorted. */
const PINNED: Record<string, readonly string[]> = {
  ".": [
    "Authorize",
    "DoneEvent",
    "EmittedEvent",
    "HeaderFields",
    "JobAction",
    "JobLogger",
    "JobLoggerOptions",
    "JobRouteOptions",
    "JobStats",
    "Level",
    "LogEvent",
    "LogHandler",
    "LogHandlerOptions",
    "MemoryStore",
    "MemoryStoreOptions",
    "MissedEvent",
    "NamedStoreOptions",
    "Outcome",
    "OutcomeStatus",
    "PollingStoreOptions",
    "ProgressEvent",
    "QueuedStore",
    "ReadResult",
    "ResultRead",
    "Snapshot",
    "SnapshotOptions",
    "Store",
    "StoreFactory",
    "StoreName",
    "StoreNames",
    "StreamOptions",
    "WireEvent",
    "createLogHandler",
    "defaultStore",
    "makeCancelResponse",
    "makeResultResponse",
    "makeSnapshotResponse",
    "makeStreamResponse",
    "pollingStore",
    "registerStoreFactory",
  ],
  "./react": [
    "AnsiRenderer",
    "AnsiSegment",
    "BASE_EVENT_LABELS",
    "Credentials",
    "EventLabel",
    "FormatEvent",
    "HeadersFunction",
    "JobView",
    "LogEntry",
    "LineView",
    "LogLevel",
    "LogPanel",
    "LogPanelProps",
    "LogStream",
    "LogStreamClient",
    "LogStreamOptions",
    "LogStreamState",
    "LogViewer",
    "LogViewerLabels",
    "LogViewerProps",
    "Outcome",
    "OutcomeStatus",
    "Progress",
    "ProgressBar",
    "ProgressBarProps",
    "RawEvent",
    "RequestHeaders",
    "ResultStatus",
    "StreamMode",
    "StreamStatus",
    "UseJobOptions",
    "UseLogStreamOptions",
    "createLineView",
    "createLogStream",
    "defaultFormatEvent",
    "entryClassName",
    "formatTime",
    "makeFormatEvent",
    "parseAnsi",
    "renderAnsi",
    "stripAnsi",
    "useJob",
    "useLogStream",
  ],
  "./dynamo": [
    "DynamoClient",
    "DynamoCredentials",
    "DynamoStore",
    "DynamoStoreError",
    "DynamoStoreOptions",
    "Outcome",
    "OutcomeStatus",
    "ReadResult",
    "ResultRead",
    "SharedDynamoStoreOptions",
    "Store",
    "sharedDynamoStore",
  ],
  "./node": [
    "NextFunction",
    "NodeHandler",
    "NodeRequest",
    "NodeResponse",
    "WebHandler",
    "toNodeHandler",
  ],
  "./client": [
    "Credentials",
    "FormatEvent",
    "HeadersFunction",
    "LogEntry",
    "LogLevel",
    "LogStream",
    "LogStreamClient",
    "LogStreamOptions",
    "LogStreamState",
    "Outcome",
    "OutcomeStatus",
    "Progress",
    "RawEvent",
    "RequestHeaders",
    "StreamMode",
    "StreamStatus",
    "createLogStream",
  ],
  "./cloudflare": [
    "DurableObjectStore",
    "DurableObjectStoreOptions",
    "JobLogNamespace",
    "JobLogObject",
    "JobLogState",
    "JobLogStorage",
    "JobLogStub",
    "Outcome",
    "OutcomeStatus",
    "ReadResult",
    "ResultRead",
    "SqlCursor",
    "SqlStorage",
    "SqlValue",
    "Store",
    "durableObjectStore",
  ],
  "./redis": [
    "Outcome",
    "OutcomeStatus",
    "ReadResult",
    "RedisClientLike",
    "RedisStore",
    "RedisStoreError",
    "RedisStoreOptions",
    "ResultRead",
    "SharedRedisStoreOptions",
    "Store",
    "sharedRedisStore",
  ],
};

const root = new URL("../", import.meta.url);

/** The names `deno doc` finds exported by one module: types included, which `import *` misses. */
async function exportedNames(path: string): Promise<string[]> {
  const url = new URL(path, root);
  const { code, stdout, stderr } = await runDeno(["doc", "--json", url.pathname]);
  assert.equal(code, 0, stderr);
  const doc = JSON.parse(stdout);
  const symbols: { name: string }[] = doc.nodes[url.href].symbols;
  return symbols.map((symbol) => symbol.name).sort();
}

const { exports } = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
  exports: Record<string, string>;
};

Deno.test("every entry point in deno.json has a pinned export list", () => {
  assert.deepEqual(Object.keys(exports).sort(), Object.keys(PINNED).sort());
});

for (const [subpath, path] of Object.entries(exports)) {
  Deno.test(`${subpath} (${path}) exports exactly its pinned names`, async () => {
    assert.deepEqual(await exportedNames(path), [...(PINNED[subpath] ?? [])].sort());
  });
}
