import assert from "node:assert/strict";
import { test } from "node:test";
import { renderTable } from "./table.js";
import { tabwrite } from "./tabwriter.js";

test("tabwrite - aligns a column block to whole tabs", () => {
  assert.equal(tabwrite("a\tx\nlonger-name\ty\n"), "a\t\tx\nlonger-name\ty\n");
});

test("tabwrite - a line without tabs ends the block", () => {
  assert.equal(tabwrite("a\tx\nplain\nlonger-name\ty\n"), "a\tx\nplain\nlonger-name\ty\n");
});

test("tabwrite - nested columns are aligned separately", () => {
  assert.equal(tabwrite("\ta\tb\n\tlonger-name\tc\n"), "\ta\t\tb\n\tlonger-name\tc\n");
});

test("renderTable - centred headers, right-aligned cells", () => {
  const out = renderTable(["endpoint", "hash"], [["127.0.0.1:2379", "42"]]);
  assert.equal(
    out,
    "+----------------+------+\n" +
      "|    ENDPOINT    | HASH |\n" +
      "+----------------+------+\n" +
      "| 127.0.0.1:2379 |   42 |\n" +
      "+----------------+------+\n",
  );
});

test("renderTable - wraps cells wider than 30 columns at spaces", () => {
  const long = "alpha beta gamma delta epsilon zeta eta";
  const out = renderTable(["errors"], [[long]]);
  const lines = out.split("\n").filter((l) => l.startsWith("|"));
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.length === lines[0]?.length));
});
