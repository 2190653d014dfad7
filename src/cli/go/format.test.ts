import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  durationString,
  goQuote,
  hex64,
  humanizeBytes,
  parseDecimal,
  parseDuration,
  parseGoBool,
  parseGoInt,
  parseHexInt,
} from "./format.js";

test("goQuote - escapes like strconv.Quote", () => {
  assert.equal(goQuote("foo"), '"foo"');
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote("\n\t\r\x07\x00\x7f"), '"\\n\\t\\r\\a\\x00\\x7f"');
  assert.equal(goQuote("çødé ✓"), '"çødé ✓"');
  assert.equal(goQuote(Buffer.from([0xff, 0x41, 0xc3])), '"\\xffA\\xc3"');
  assert.equal(goQuote("\u00a0\u200b"), '"\\u00a0\\u200b"');
});

test("goQuote - printable ASCII stays as it is", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[ !#-[\]-~]*$/), (s) => {
      assert.equal(goQuote(s), `"${s}"`);
    }),
  );
});

test("durationString - Go's Duration.String", () => {
  assert.equal(durationString(0n), "0s");
  assert.equal(durationString(999n), "999ns");
  assert.equal(durationString(1_576_298n), "1.576298ms");
  assert.equal(durationString(1500n), "1.5µs");
  assert.equal(durationString(2_000_000_000n), "2s");
  assert.equal(durationString(90_500_000_000n), "1m30.5s");
  assert.equal(durationString(3_600_000_000_000n), "1h0m0s");
  assert.equal(durationString(-5_000_000n), "-5ms");
});

test("parseDuration - units, fractions and Go's errors", () => {
  assert.equal(parseDuration("2s"), 2e9);
  assert.equal(parseDuration("1m30s"), 90e9);
  assert.equal(parseDuration("1.5ms"), 1.5e6);
  assert.equal(parseDuration("0"), 0);
  assert.throws(() => parseDuration("x"), { message: 'time: invalid duration "x"' });
  assert.throws(() => parseDuration("1"), { message: 'time: missing unit in duration "1"' });
  assert.throws(() => parseDuration("1y"), { message: 'time: unknown unit "y" in duration "1y"' });
});

test("parseGoInt - base prefixes, underscores and Go's errors", () => {
  assert.equal(parseGoInt("10"), 10n);
  assert.equal(parseGoInt("0x1f"), 31n);
  assert.equal(parseGoInt("010"), 8n);
  assert.equal(parseGoInt("0b101"), 5n);
  assert.equal(parseGoInt("-1_000"), -1000n);
  assert.throws(() => parseGoInt("x"), { message: 'strconv.ParseInt: parsing "x": invalid syntax' });
  assert.throws(() => parseGoInt("99999999999999999999"), {
    message: 'strconv.ParseInt: parsing "99999999999999999999": value out of range',
  });
});

test("parseGoInt - agrees with BigInt on decimal strings", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
      assert.equal(parseGoInt(n.toString()), n);
      assert.equal(parseDecimal(n.toString()), n);
    }),
  );
});

test("parseHexInt - lease and member IDs", () => {
  assert.equal(parseHexInt("694d7d0b3c0c1b0e", true), 0x694d7d0b3c0c1b0en);
  assert.equal(parseHexInt("ffffffffffffffff", false), 2n ** 64n - 1n);
  assert.throws(() => parseHexInt("ffffffffffffffff", true), { message: /value out of range/ });
  assert.throws(() => parseHexInt("zz", true), { message: 'strconv.ParseInt: parsing "zz": invalid syntax' });
});

test("parseGoBool - strconv.ParseBool", () => {
  assert.equal(parseGoBool("T"), true);
  assert.equal(parseGoBool("0"), false);
  assert.throws(() => parseGoBool("yes"), { message: 'strconv.ParseBool: parsing "yes": invalid syntax' });
});

test("humanizeBytes - go-humanize's SI sizes", () => {
  assert.equal(humanizeBytes(5), "5 B");
  assert.equal(humanizeBytes(20480), "20 kB");
  assert.equal(humanizeBytes(24576), "25 kB");
  assert.equal(humanizeBytes(1_500_000), "1.5 MB");
});

test("hex64 - zero and space padding, signed values", () => {
  assert.equal(hex64(0x1234n), "0000000000001234");
  assert.equal(hex64(0x1234n, 16, " "), "            1234");
  assert.equal(hex64(-1n), "-000000000000001");
});
