import assert from "node:assert/strict";
import { test } from "node:test";
import { Flag, FlagError, FlagSet, HelpRequested } from "./flags.js";

function set(): FlagSet {
  return new FlagSet([
    new Flag({ name: "prefix", kind: "bool", default: "false", usage: "" }),
    new Flag({ name: "rev", kind: "int64", default: "0", usage: "" }),
    new Flag({ name: "write-out", shorthand: "w", kind: "string", default: "simple", usage: "" }),
    new Flag({ name: "interactive", shorthand: "i", kind: "bool", default: "false", usage: "" }),
    new Flag({ name: "endpoints", kind: "stringSlice", default: "[127.0.0.1:2379]", usage: "" }),
    new Flag({ name: "dial-timeout", kind: "duration", default: "2s", usage: "" }),
  ]);
}

test("flags - interspersed flags, values and positionals", () => {
  const f = set();
  f.parse(["foo", "--prefix", "--rev", "0x10", "bar", "-wjson", "--dial-timeout=1.5s"]);
  assert.deepEqual(f.args, ["foo", "bar"]);
  assert.equal(f.lookup("prefix")?.value, true);
  assert.equal(f.lookup("rev")?.value, 16);
  assert.equal(f.lookup("write-out")?.value, "json");
  assert.equal(f.lookup("dial-timeout")?.value, 1500);
});

test("flags - `--` ends flags and is remembered", () => {
  const f = set();
  f.parse(["a", "--", "-w", "--prefix"]);
  assert.deepEqual(f.args, ["a", "-w", "--prefix"]);
  assert.equal(f.argsLenAtDash, 1);
  assert.equal(f.lookup("prefix")?.value, false);
});

test("flags - short flags combine; a bool takes no separate value", () => {
  const f = set();
  f.parse(["-iw", "fields", "true"]);
  assert.equal(f.lookup("interactive")?.value, true);
  assert.equal(f.lookup("write-out")?.value, "fields");
  assert.deepEqual(f.args, ["true"]);
});

test("flags - string slices replace the default, then append", () => {
  const f = set();
  assert.deepEqual(f.lookup("endpoints")?.value, ["127.0.0.1:2379"]);
  f.parse(["--endpoints", "a:1,b:2", "--endpoints=c:3"]);
  assert.deepEqual(f.lookup("endpoints")?.value, ["a:1", "b:2", "c:3"]);
});

test("flags - pflag's error texts", () => {
  const cases: [string[], string][] = [
    [["--bogus"], "unknown flag: --bogus"],
    [["-x"], "unknown shorthand flag: 'x' in -x"],
    [["--rev"], "flag needs an argument: --rev"],
    [["-w"], "flag needs an argument: 'w' in -w"],
    [["--rev", "x"], 'invalid argument "x" for "--rev" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [
      ["--prefix=maybe"],
      'invalid argument "maybe" for "--prefix" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [["---x"], "bad flag syntax: ---x"],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => set().parse(argv),
      (err: Error) => err instanceof FlagError && err.message === message,
    );
  }
});

test("flags - --help and -h ask for help even when not declared", () => {
  assert.throws(() => set().parse(["--help"]), HelpRequested);
  assert.throws(() => set().parse(["-h"]), HelpRequested);
});
