/**
 * React is a peer dependency from 17 on: the hook, panel and server
 * rendering tests run again on React 17 (with @testing-library/react 12) and
 * React 18, each from its own config in tests/compat/ (types are checked on
 * the pinned React 19 by the main run).
 */
import assert from "node:assert/strict";

const TESTS = [
  "react/use_log_stream_test.tsx",
  "react/use_log_stream_lifecycle_test.tsx",
  "react/use_job_test.tsx",
  "react/log_panel_test.tsx",
  "react/ssr_test.tsx",
];

for (const version of ["17", "18"]) {
  Deno.test(`the React tests pass on React ${version}`, async () => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "test",
        "--config",
        `tests/compat/react${version}/deno.json`,
        "--frozen",
        "--no-check",
        "--allow-net=127.0.0.1",
        "--allow-read",
        "--allow-env",
        ...TESTS,
      ],
      cwd: new URL("..", import.meta.url),
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, out + new TextDecoder().decode(stderr));
    assert.match(out, /ok \| [1-9]\d* passed \| 0 failed/);
  });
}
