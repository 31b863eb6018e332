// npm smoke test for the live hook, run by tests/npm_smoke_test.ts in a scratch
// project with the packed `streamator` and `streamator-react` tarballs, one
// React version (17, 18 or 19), react-dom and happy-dom installed.
//
// A Node server (@hono/node-server) serves a job through the packed server's
// `createLogHandler`; a component using the packed `useLogStream` and
// `LogPanel` is mounted with react-dom in a happy-dom document and reads it
// over real HTTP as Server-Sent Events, through Node's own fetch (the hook
// needs no `EventSource`). Prints one JSON line: React's
// version, what the hook returned, and the panel's rows as the document shows them.
import { Window } from "happy-dom";
import { startJobServer } from "./job_server.mjs";

const deadline = setTimeout(() => {
  console.error("live smoke test timed out");
  process.exit(1);
}, 30_000);

// Only the DOM globals React needs, from one happy-dom Window; Node keeps its fetch.
const window = new Window({ url: "http://127.0.0.1/" });
for (
  const name of [
    "window",
    "document",
    "navigator",
    "Node",
    "Element",
    "HTMLElement",
    "Text",
  ]
) {
  globalThis[name] = window[name];
}
globalThis.getComputedStyle = window.getComputedStyle.bind(window);
// react-dom reads the globals when it loads: import it (and React) after them.
const React = await import("react");
const { createRequire } = await import("node:module");
const require = createRequire(import.meta.url);
const { LogPanel, useLogStream } = await import("streamator-react");

const ENTRIES = ["fetching", "parsing", "saving", "Done"];
let release;
const started = new Promise((resolve) => (release = resolve));
const { base, close } = await startJobServer(async (logger) => {
  await started; // the first entries are logged while the panel is mounted
  for (const [i, text] of ENTRIES.entries()) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    logger.log(text, i === ENTRIES.length - 1 ? "success" : "info");
  }
  await logger.close();
});
const { log_job_id: jobId } = await (await fetch(`${base}/start`)).json();

let seen = { logs: [], status: "idle", active: false };
function App() {
  const stream = useLogStream(`${base}/log/${jobId}/stream`);
  seen = stream;
  return React.createElement(LogPanel, {
    logs: stream.logs,
    active: stream.active,
  });
}

const container = document.createElement("div");
document.body.appendChild(container);
let unmount;
if (Number(React.version.split(".")[0]) >= 18) {
  const { createRoot } = require("react-dom/client");
  const root = createRoot(container);
  root.render(React.createElement(App));
  unmount = () => root.unmount();
} else {
  const ReactDOM = require("react-dom");
  ReactDOM.render(React.createElement(App), container);
  unmount = () => ReactDOM.unmountComponentAtNode(container);
}
release();

for (
  let i = 0;
  i < 500 && seen.status !== "done" && seen.status !== "error";
  i++
) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await new Promise((resolve) => setTimeout(resolve, 50)); // the last frame's commit
const rows = [...container.querySelectorAll(".streamator-log-entry")].map((
  row,
) => row.textContent);
const result = {
  version: React.version,
  status: seen.status,
  active: seen.active,
  logs: seen.logs.map(({ text, level }) => ({ text, level })),
  rows,
};
unmount();
close();
window.close();
clearTimeout(deadline);
console.log(JSON.stringify(result));
// React's scheduler keeps a MessageChannel port open in a DOM-like global scope.
process.exit(0);
