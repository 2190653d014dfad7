// Runs the scenario scripts in testdata/ against their golden transcripts.
// Regenerate deliberately with: RAFT_REWRITE=1 node --test dist/raft/scenario.test.js
// (then read the diff: every changed line is a behaviour change).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkScenarioFile } from "./testing/scenario.js";

const dir = fileURLToPath(new URL("../../src/raft/testdata/", import.meta.url));
const rewrite = process.env.RAFT_REWRITE === "1";

describe("scenarios", () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  assert.ok(files.length > 0, `no scenarios in ${dir}`);
  for (const f of files) {
    test(`scenario - ${f.replace(/\.txt$/, "").replaceAll("_", " ")}`, () => {
      const mismatches = checkScenarioFile(`${dir}${f}`, rewrite);
      assert.equal(mismatches.length, 0, `${f}:\n${mismatches.join("\n\n")}`);
    });
  }
});
