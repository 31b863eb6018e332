import assert from "node:assert/strict";
import { BUDGETS, checkBudgets, holds } from "./size_budget.ts";

Deno.test("size budgets: every import of the table holds, with none of the files it must not have", async () => {
  const results = await checkBudgets();
  assert.deepEqual(
    results.map((r) => r.budget.name),
    [
      "LogPanel",
      "useLogStream + LogPanel",
      "LogViewer",
      "createLogStream from the client entry",
    ],
  );
  for (const r of results) {
    assert.ok(holds(r), `${r.budget.name}: ${r.built.gzipped} B, leaks ${r.leaks.join(", ")}`);
  }
});

Deno.test("size budgets: an import past its budget, or with a file it must not have, fails", async () => {
  const panel = BUDGETS.find((b) => b.name === "LogPanel")!;
  const [small, withAnsi] = await checkBudgets([
    { ...panel, name: "LogPanel, budget too small", bytes: 1_000 },
    { ...panel, name: "LogPanel + renderAnsi", names: ["LogPanel", "renderAnsi"] },
  ]);
  assert.equal(holds(small), false);
  assert.deepEqual(small.leaks, []);
  // The ANSI parser is in a bundle only when the app imports it.
  assert.equal(holds(withAnsi), false);
  assert.deepEqual(withAnsi.leaks, ["react/ansi.ts"]);
  assert.ok(withAnsi.built.gzipped > small.built.gzipped + 500);
});
