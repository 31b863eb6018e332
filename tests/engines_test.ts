/**
 * The npm packages' `engines` agree with what they run on: every npm package
 * they name as a peer, at the version the tests pin, accepts the lowest Node
 * the packages declare, so npm installs it there without an engine warning.
 */
import assert from "node:assert/strict";
import { NODE_ENGINES } from "../scripts/npm_manifest.ts";
import { ROOT, toolPackage } from "./support/tools.ts";

/** The lowest major a `>=N` / `>=N.x.y` range accepts. */
function lowestMajor(range: string): number {
  const match = range.trim().match(/^>=\s*(\d+)(?:\.\d+){0,2}$/);
  assert.ok(match, `engines range "${range}" is of the form >=N`);
  return Number(match[1]);
}

Deno.test("each pinned AWS SDK peer of streamator/dynamo accepts the Node the packages declare", async () => {
  const ours = lowestMajor(NODE_ENGINES);
  const { imports } = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  for (const name of ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"]) {
    const manifest = JSON.parse(await Deno.readTextFile(`${toolPackage(name)}/package.json`));
    assert.equal(`npm:${name}@${manifest.version}`, imports[name], `${name} as deno.json pins it`);
    const theirs = lowestMajor(manifest.engines.node);
    assert.ok(
      theirs <= ours,
      `${name}@${manifest.version} needs Node ${theirs}, the packages declare ${NODE_ENGINES}`,
    );
  }
});
