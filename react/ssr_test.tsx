import assert from "node:assert/strict";
import { renderToString } from "react-dom/server";
import { LogPanel, useLogStream } from "./mod.ts";

function JobLog(
  { url, fetch }: {
    url: string | null;
    fetch?: (url: string, init: RequestInit) => Promise<Response>;
  },
) {
  const { logs, active, status } = useLogStream(url, { mode: "sse", fetch });
  return (
    <section data-status={status}>
      <LogPanel logs={logs} active={active} />
    </section>
  );
}

Deno.test("renderToString works with no DOM: the panel waits, nothing is opened", () => {
  assert.equal(typeof (globalThis as { document?: unknown }).document, "undefined");
  assert.equal(typeof (globalThis as { window?: unknown }).window, "undefined");
  const requests: unknown[] = [];
  const html = renderToString(
    <JobLog
      url="/log/abc/stream"
      fetch={(input) => {
        requests.push(input);
        return Promise.reject(new Error("no request while rendering on the server"));
      }}
    />,
  );
  assert.deepEqual(requests, [], "rendering opens nothing");
  assert.match(html, /data-status="connecting"/);
  assert.match(html, /role="log"/);
  assert.match(html, /aria-live="polite"/);
  assert.match(html, /class="streamator-log-waiting">⏳ Starting…</);
  // React 17 adds data-reactroot; nothing else may be inside.
  assert.match(
    renderToString(<JobLog url={null} />),
    /^<section data-status="idle"[^>]*><\/section>$/,
  );
});

Deno.test("renderToString renders given entries as escaped text", () => {
  const html = renderToString(
    <LogPanel logs={[{ text: "<b>bold</b>", t: "1.0s", level: "warning" }]} active={false} />,
  );
  assert.match(html, /streamator-log-entry streamator-log-entry--warning/);
  assert.match(html, /&lt;b&gt;bold&lt;\/b&gt;/);
});
