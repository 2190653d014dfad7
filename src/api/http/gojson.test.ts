// Expected texts below are what Go 1.19's encoding/json and encoding/base64 print for the
// same input (etcd 3.4.23 is built with Go 1.19).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { GoJsonError, goBase64Decode, goQuote, parseDocument, readStreamValue } from "./gojson.js";

function errorOf(f: () => unknown): string {
  try {
    f();
    return "<nil>";
  } catch (error) {
    assert.ok(error instanceof GoJsonError, String(error));
    return error.message;
  }
}

/** Reads every value of a complete stream like json.Decoder.Decode in a loop. */
function decodeAll(text: string): string[] {
  const buf = Buffer.from(text);
  const out: string[] = [];
  let pos = 0;
  for (let i = 0; i < 3; i++) {
    let read: ReturnType<typeof readStreamValue>;
    try {
      read = readStreamValue(buf, pos, true);
    } catch (error) {
      out.push(`ERR:${(error as Error).message}`);
      break;
    }
    assert.notEqual(read, "more");
    if (read === "more" || read.done) {
      out.push("ERR:EOF");
      break;
    }
    out.push(buf.toString("utf8", pos, read.end).trim());
    pos = read.end;
  }
  return out;
}

test("gojson - json.Unmarshal syntax errors", () => {
  const cases: [string, string][] = [
    ["", "unexpected end of JSON input"],
    [" ", "unexpected end of JSON input"],
    ["{", "unexpected end of JSON input"],
    ['{"a"', "unexpected end of JSON input"],
    ['{"a":1,', "unexpected end of JSON input"],
    ["nul", "invalid character ' ' in literal null (expecting 'l')"],
    ["tru", "invalid character ' ' in literal true (expecting 'e')"],
    ['"abc', "unexpected end of JSON input"],
    ["{bad}", "invalid character 'b' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"}', "invalid character '\"' after object key:value pair"],
    ["[1 2]", "invalid character '2' after array element"],
    ["-", "invalid character ' ' in numeric literal"],
    ["1.", "invalid character ' ' after decimal point in numeric literal"],
    ["1e", "invalid character ' ' in exponent of numeric literal"],
    ["1e+", "invalid character ' ' in exponent of numeric literal"],
    ["01", "invalid character '1' after top-level value"],
    ["1 2", "invalid character '2' after top-level value"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\x01"', "invalid character '\\x01' in string literal"],
    ['{"a":1}}', "invalid character '}' after top-level value"],
    ["nulx", "invalid character 'x' in literal null (expecting 'l')"],
    ["+1", "invalid character '+' looking for beginning of value"],
    [".5", "invalid character '.' looking for beginning of value"],
    ['{"a":tx}', "invalid character 'x' in literal true (expecting 'r')"],
    ['"\\u00e9"', "<nil>"],
  ];
  for (const [input, expected] of cases) {
    assert.equal(
      errorOf(() => parseDocument(Buffer.from(input))),
      expected,
      input,
    );
  }
});

test("gojson - json.Decoder reads a stream of values", () => {
  const cases: [string, string[]][] = [
    ["", ["ERR:EOF"]],
    ["  ", ["ERR:EOF"]],
    ["{}{}", ["{}", "{}", "ERR:EOF"]],
    ["{} x", ["{}", "ERR:invalid character 'x' looking for beginning of value"]],
    ["nul", ["ERR:unexpected EOF"]],
    ['{"a":', ["ERR:unexpected EOF"]],
    ["1 2", ["1", "2", "ERR:EOF"]],
    ['{"a":1}}', ['{"a":1}', "ERR:invalid character '}' looking for beginning of value"]],
    ["[1,]", ["ERR:invalid character ']' looking for beginning of value"]],
    ['"\\x"', ["ERR:invalid character 'x' in string escape code"]],
    ['{"a"}', ["ERR:invalid character '}' after object key"]],
    ["tx", ["ERR:invalid character 'x' in literal true (expecting 'r')"]],
    ["-x", ["ERR:invalid character 'x' in numeric literal"]],
    ["1.x", ["ERR:invalid character 'x' after decimal point in numeric literal"]],
  ];
  for (const [input, expected] of cases) assert.deepEqual(decodeAll(input), expected, input);
});

test("gojson - a value cut anywhere asks for more, then reads whole", () => {
  const text = Buffer.from('  {"a":[1,-2.5e+3,true,null,"x\\u00e9\\n"],"b":{"c":12}} ');
  for (let cut = 0; cut < text.length - 1; cut++) {
    const read = readStreamValue(text.subarray(0, cut), 0, false);
    assert.equal(read, "more", `cut at ${cut}`);
  }
  const read = readStreamValue(text, 0, false);
  assert.ok(read !== "more" && !read.done);
  assert.equal(read.node.kind, "object");
});

test("gojson - numbers keep their text, strings their raw bytes", () => {
  const node = parseDocument(Buffer.from('[18446744073709551615, "a\\"b"]'));
  assert.ok(node.kind === "array");
  assert.deepEqual(node.items[0], { kind: "number", text: "18446744073709551615" });
  const s = node.items[1]!;
  assert.ok(s.kind === "string");
  assert.equal(s.value, 'a"b');
  assert.equal(s.raw.toString(), 'a\\"b');
});

test("gojson - strings quoted as Go's json.Marshal", () => {
  assert.equal(
    goQuote('a<b>&c\u2028\x01\x08\x0c\t\n"\\é\x7f'),
    '"a\\u003cb\\u003e\\u0026c\\u2028\\u0001\\u0008\\u000c\\t\\n\\"\\\\é\x7f"',
  );
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => JSON.parse(goQuote(s)) === s));
});

test("gojson - base64 as Go's StdEncoding decodes it", () => {
  const cases: [string, string][] = [
    ["Zm9", "illegal base64 data at input byte 0"],
    ["Zm9v==", "illegal base64 data at input byte 4"],
    ["Zm9v", "foo"],
    ["Zg==", "f"],
    ["Zg=", "illegal base64 data at input byte 3"],
    ["Zg", "illegal base64 data at input byte 0"],
    ["Zm9v\nYmFy", "foobar"],
    ["Zm=v", "illegal base64 data at input byte 2"],
    ["Zm9vY", "illegal base64 data at input byte 4"],
    ["Zm9vYg==Zg==", "illegal base64 data at input byte 8"],
    ["Zm9vYg=x", "illegal base64 data at input byte 6"],
    ["Zh==", "f"],
    ["", ""],
    ["Zm9vYmFy===", "illegal base64 data at input byte 8"],
    ["Zg==\n", "f"],
    ["Zg==\nx", "illegal base64 data at input byte 5"],
  ];
  for (const [input, expected] of cases) {
    let got: string;
    try {
      got = goBase64Decode(Buffer.from(input)).toString("latin1");
    } catch (error) {
      got = (error as Error).message;
    }
    assert.equal(got, expected, input);
  }
  fc.assert(
    fc.property(fc.uint8Array(), (bytes) => {
      const b = Buffer.from(bytes);
      return goBase64Decode(Buffer.from(b.toString("base64"))).equals(b);
    }),
  );
});
