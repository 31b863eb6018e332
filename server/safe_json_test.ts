import assert from "node:assert/strict";
import { safeJson } from "./safe_json.ts";

Deno.test("safeJson encodes what JSON.stringify cannot, as documented", () => {
  const cyclic: Record<string, unknown> = { name: "a", big: 12n, fn: () => 1 };
  cyclic.self = cyclic;
  cyclic.list = [1n, cyclic, () => 2];
  assert.equal(
    safeJson(cyclic),
    '{"name":"a","big":"12","self":"[Circular]","list":["1","[Circular]",null]}',
  );
});

Deno.test("safeJson keeps shared (non-circular) references and encodes errors", () => {
  const shared = { x: 1 };
  assert.equal(safeJson({ a: shared, b: shared, n: 1n }), '{"a":{"x":1},"b":{"x":1},"n":"1"}');
  assert.equal(
    safeJson({ error: new RangeError("too far") }),
    '{"error":{"name":"RangeError","message":"too far"}}',
  );
});

Deno.test("safeJson survives a throwing toJSON and stays on one line", () => {
  const bad = {
    toJSON() {
      throw new Error("no");
    },
  };
  assert.equal(
    safeJson({ bad, text: "a\nb\r\nc" }),
    '{"bad":"[Unserializable]","text":"a\\nb\\r\\nc"}',
  );
  assert.doesNotMatch(safeJson({ text: "line\nbreak\r" }), /[\r\n]/);
});
