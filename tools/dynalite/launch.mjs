// Starts an in-memory dynalite on 127.0.0.1 at a free port, prints the port on
// stdout, and stops when its stdin closes (so it never outlives the test that
// started it).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const dynalite = require("dynalite");

const server = dynalite({
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
