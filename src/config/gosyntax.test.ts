import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  FlagValueError,
  goQuote,
  parseGoBool,
  parseGoInt,
  parseGoUint,
  parseGoUint32Raw,
} from "./gosyntax.js";

const rejects = (f: () => unknown, message: string) =>
  assert.throws(f, (e: unknown) => e instanceof FlagValueError && e.message === message);

test("gosyntax - integers take Go's base prefixes and separators", () => {
  assert.equal(parseGoUint("42", 64), 42);
  assert.equal(parseGoUint("0x1F", 64), 31);
  assert.equal(parseGoUint("0o17", 64), 15);
  assert.equal(parseGoUint("017", 64), 15);
  assert.equal(parseGoUint("0b101", 64), 5);
  assert.equal(parseGoUint("1_000", 64), 1000);
  assert.equal(parseGoUint("0", 64), 0);
  assert.equal(parseGoInt("-0x10"), -16);
  assert.equal(parseGoInt("+7"), 7);
});

test("gosyntax - malformed or out-of-range integers use the flag package's words", () => {
  rejects(() => parseGoUint("-1", 64), "parse error");
  rejects(() => parseGoUint("1e9", 64), "parse error");
  rejects(() => parseGoUint("08", 64), "parse error");
  rejects(() => parseGoUint("1__0", 64), "parse error");
  rejects(() => parseGoUint("", 64), "parse error");
  rejects(() => parseGoUint("18446744073709551616", 64), "value out of range");
  rejects(() => parseGoInt("9223372036854775808"), "value out of range");
});

test("gosyntax - etcd's uint32 flag reports strconv's raw error", () => {
  assert.equal(parseGoUint32Raw("4294967295"), 4294967295);
  rejects(() => parseGoUint32Raw("-1"), 'strconv.ParseUint: parsing "-1": invalid syntax');
  rejects(
    () => parseGoUint32Raw("4294967296"),
    'strconv.ParseUint: parsing "4294967296": value out of range',
  );
});

test("gosyntax - booleans are strconv.ParseBool's", () => {
  for (const t of ["1", "t", "T", "true", "TRUE", "True"]) assert.equal(parseGoBool(t), true);
  for (const f of ["0", "f", "F", "false", "FALSE", "False"]) assert.equal(parseGoBool(f), false);
  rejects(() => parseGoBool("yes"), "parse error");
});

test("gosyntax - decimal integers round-trip", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
      assert.equal(parseGoUint(String(n), 64), n);
    }),
  );
});

test("gosyntax - quoting follows strconv.Quote", () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote("tab\tnl\n"), '"tab\\tnl\\n"');
  assert.equal(goQuote("\x01"), '"\\x01"');
  assert.equal(goQuote("µ"), '"µ"');
});
