// npm smoke test for streamator-react, run in a scratch project with one React
// version (17, 18 or 19) installed: LogPanel rendered with react-dom/server.
// Prints one JSON line: React's version, the HTML, and what React warned.
import { createRequire } from "node:module";
import { createElement, version } from "react";
import { LogPanel, useLogStream } from "streamator-react";

// react-dom 17 has no exports map: require() finds react-dom/server in every version.
const { renderToString } = createRequire(import.meta.url)("react-dom/server");
const warnings = [];
for (const level of ["error", "warn"]) {
  console[level] = (...args) => warnings.push(args.map(String).join(" "));
}

function App() {
  const idle = useLogStream(null);
  return createElement("div", null, [
    createElement(LogPanel, {
      key: "a",
      logs: [{
        text: `hello from React ${version}`,
        t: "1.5s",
        level: "success",
      }],
      active: false,
    }),
    createElement(LogPanel, {
      key: "b",
      logs: idle.logs,
      active: true,
      waitingText: "waiting…",
    }),
  ]);
}
const html = renderToString(createElement(App));
console.log(JSON.stringify({ version, html, warnings }));
