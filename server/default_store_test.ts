import assert from "node:assert/strict";
import { defaultStore } from "./default_store.ts";
import { JobLogger } from "./job_logger.ts";

Deno.test("a second copy of the module (as a bundler makes) shares the default store", async () => {
  const copy: typeof import("./default_store.ts") = await import("./default_store.ts?copy=2");
  assert.equal(copy.defaultStore, defaultStore);
  const logger = new JobLogger();
  logger.log("seen by every copy");
  const read = await copy.defaultStore.read(logger.jobId, 0);
  assert.deepEqual(read?.entries.map((json) => JSON.parse(json).message), ["seen by every copy"]);
  await logger.close();
});
