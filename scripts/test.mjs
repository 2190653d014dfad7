// Runs the compiled tests with node:test. `unit` runs only the tests beside the code;
// otherwise those and the integration tests in dist/test/ (real processes, real etcdctl).
// Further arguments keep only test files whose path contains one of them.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
const args = process.argv.slice(2);
const unitOnly = args[0] === "unit";
const filters = unitOnly ? args.slice(1) : args;
const files = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".test.js"))
  .map((e) => join(e.parentPath, e.name))
  .filter((f) => !unitOnly || !relative(dist, f).startsWith("test/"))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error("test: no test files matched");
  process.exit(1);
}
// No test takes a minute here (the longest, the kill -9 crash test, about 45 s); the timeout
// turns a hang into a failure that names the test instead of a stalled CI job.
const result = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
