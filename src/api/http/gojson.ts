// JSON as Go's encoding/json reads and writes it, so that the gateway's answers to bad input
// carry the same words as etcd's ("invalid character 'b' looking for beginning of object key
// string", "unexpected EOF", "illegal base64 data at input byte 4"), and its output escapes
// strings the same way.
//
// The scanner keeps number literals as text (int64 values must not pass through a double)
// and the raw bytes of strings (grpc-gateway's jsonpb re-reads a quoted number's inner text).

/** An error whose message is the one Go's encoding/json (or encoding/base64) would give. */
export class GoJsonError extends Error {
  override readonly name = "GoJsonError";
}

export type JsonNode =
  | { kind: "object"; entries: Map<string, JsonNode> }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "string"; value: string; raw: Buffer }
  | { kind: "number"; text: string }
  | { kind: "bool"; value: boolean }
  | { kind: "null" };

/** Go's word for a JSON value's kind in "cannot unmarshal X into ..." messages. */
export function kindWord(node: JsonNode): string {
  return node.kind === "bool" ? "bool" : node.kind;
}

/** How running out of input reads: json.Decoder on a stream, or json.Unmarshal on a document. */
type Mode = "decoder" | "unmarshal";

/** Thrown inside the scanner when a streamed value is not complete yet. */
const needMore = Symbol("needMore");

enum Ch {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LBrace = 0x7b,
  RBrace = 0x7d,
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Newline || c === Ch.Return;
}
function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Go's quoteChar: how a byte is shown in a syntax error. */
export function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === Ch.Quote) return "'\"'";
  const named: Record<number, string> = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
  };
  if (c === Ch.Backslash) return "'\\\\'";
  if (named[c] !== undefined) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if (c >= 0x80 && (c < 0xa1 || c === 0xad)) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

class Scanner {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly mode: Mode,
    readonly final: boolean,
  ) {
    this.pos = start;
  }

  peek(): number {
    return this.pos < this.buf.length ? this.buf[this.pos]! : -1;
  }

  /** Input ran out inside a value. */
  eof(): never {
    if (this.mode === "unmarshal") throw new GoJsonError("unexpected end of JSON input");
    if (!this.final) throw needMore;
    throw new GoJsonError("unexpected EOF");
  }

  /**
   * `c` cannot come here. At the end of input, Go's Unmarshal feeds the scanner a space
   * (so "nul" is "invalid character ' ' in literal null"), its Decoder says "unexpected EOF".
   */
  fail(c: number, context: string): never {
    if (c === -1) {
      if (this.mode === "decoder") this.eof();
      c = Ch.Space;
    }
    throw new GoJsonError(`invalid character ${quoteChar(c)} ${context}`);
  }

  skipSpace(): number {
    let c = this.peek();
    while (c !== -1 && isSpace(c)) {
      this.pos++;
      c = this.peek();
    }
    return c;
  }

  value(): JsonNode {
    const c = this.skipSpace();
    if (c === -1) this.eof();
    switch (c) {
      case Ch.LBrace:
        return this.object();
      case Ch.LBracket:
        return this.array();
      case Ch.Quote:
        return this.string();
      case 0x74: // t
        this.literal("true");
        return { kind: "bool", value: true };
      case 0x66: // f
        this.literal("false");
        return { kind: "bool", value: false };
      case 0x6e: // n
        this.literal("null");
        return { kind: "null" };
      default:
        if (c === Ch.Minus || isDigit(c)) return this.number();
        return this.fail(c, "looking for beginning of value");
    }
  }

  object(): JsonNode {
    this.pos++;
    const entries = new Map<string, JsonNode>();
    let c = this.skipSpace();
    if (c === Ch.RBrace) {
      this.pos++;
      return { kind: "object", entries };
    }
    for (;;) {
      if (c === -1) this.eof();
      if (c !== Ch.Quote) this.fail(c, "looking for beginning of object key string");
      const key = this.string();
      c = this.skipSpace();
      if (c === -1) this.eof();
      if (c !== Ch.Colon) this.fail(c, "after object key");
      this.pos++;
      entries.set(key.value, this.value());
      c = this.skipSpace();
      if (c === -1) this.eof();
      if (c === Ch.RBrace) {
        this.pos++;
        return { kind: "object", entries };
      }
      if (c !== Ch.Comma) this.fail(c, "after object key:value pair");
      this.pos++;
      c = this.skipSpace();
    }
  }

  array(): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    let c = this.skipSpace();
    if (c === Ch.RBracket) {
      this.pos++;
      return { kind: "array", items };
    }
    for (;;) {
      items.push(this.value());
      c = this.skipSpace();
      if (c === -1) this.eof();
      if (c === Ch.RBracket) {
        this.pos++;
        return { kind: "array", items };
      }
      if (c !== Ch.Comma) this.fail(c, "after array element");
      this.pos++;
    }
  }

  string(): { kind: "string"; value: string; raw: Buffer } {
    const start = ++this.pos;
    for (;;) {
      const c = this.peek();
      if (c === -1) this.eof();
      this.pos++;
      if (c === Ch.Quote) break;
      if (c === Ch.Backslash) {
        const e = this.peek();
        if (e === -1 && this.mode === "unmarshal") this.fail(Ch.Space, "in string escape code");
        if (e === -1) this.eof();
        this.pos++;
        if (e === 0x75) {
          for (let i = 0; i < 4; i++) {
            const h = this.peek();
            if (h === -1 && this.mode === "decoder") this.eof();
            if (h === -1 || !isHex(h)) this.fail(h, "in \\u hexadecimal character escape");
            this.pos++;
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          this.fail(e, "in string escape code");
        }
      } else if (c < 0x20) {
        this.fail(c, "in string literal");
      }
    }
    const raw = this.buf.subarray(start, this.pos - 1);
    // The escapes are valid JSON by now; invalid UTF-8 becomes U+FFFD, as in Go.
    const value = raw.includes(Ch.Backslash)
      ? (JSON.parse(`"${raw.toString("utf8")}"`) as string)
      : raw.toString("utf8");
    return { kind: "string", value, raw };
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      const c = this.peek();
      if (c !== word.charCodeAt(i)) {
        this.fail(c, `in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`);
      }
      this.pos++;
    }
  }

  /** Digits that may continue in bytes not yet received. */
  digits(): void {
    while (isDigit(this.peek())) this.pos++;
    if (this.peek() === -1 && this.mode === "decoder" && !this.final) throw needMore;
  }

  number(): JsonNode {
    const start = this.pos;
    let c = this.peek();
    if (c === Ch.Minus) {
      this.pos++;
      c = this.peek();
      if (!isDigit(c)) this.fail(c, "in numeric literal");
    }
    this.pos++;
    if (c !== Ch.Zero) this.digits();
    else if (this.peek() === -1 && this.mode === "decoder" && !this.final) throw needMore;
    c = this.peek();
    if (c === Ch.Dot) {
      this.pos++;
      c = this.peek();
      if (!isDigit(c)) this.fail(c, "after decimal point in numeric literal");
      this.digits();
      c = this.peek();
    }
    if (c === 0x65 || c === 0x45) {
      this.pos++;
      c = this.peek();
      if (c === Ch.Plus || c === Ch.Minus) {
        this.pos++;
        c = this.peek();
      }
      if (!isDigit(c)) this.fail(c, "in exponent of numeric literal");
      this.digits();
    }
    return { kind: "number", text: this.buf.toString("latin1", start, this.pos) };
  }
}

/** One value read from a stream of JSON values, as json.Decoder.Decode reads it. */
export type StreamRead =
  | { done: false; node: JsonNode; end: number }
  /** Only whitespace up to the end of the stream (io.EOF). */
  | { done: true }
  /** The value continues beyond the bytes received so far. */
  | "more";

/**
 * Reads the next JSON value of a stream starting at `start`. With `final` false the bytes
 * may continue later; with it true they have ended. Throws GoJsonError on malformed input.
 */
export function readStreamValue(buf: Buffer, start: number, final: boolean): StreamRead {
  const scanner = new Scanner(buf, start, "decoder", final);
  try {
    if (scanner.skipSpace() === -1) return final ? { done: true } : "more";
    const node = scanner.value();
    return { done: false, node, end: scanner.pos };
  } catch (error) {
    if (error === needMore) return "more";
    throw error;
  }
}

/** Parses a whole document as json.Unmarshal does (one value, nothing but space after it). */
export function parseDocument(buf: Buffer): JsonNode {
  const scanner = new Scanner(buf, 0, "unmarshal", true);
  const node = scanner.value();
  const c = scanner.skipSpace();
  if (c !== -1) scanner.fail(c, "after top-level value");
  return node;
}

const hex = "0123456789abcdef";

/** A string quoted as Go's json.Marshal quotes it (HTML-safe, U+2028/U+2029 escaped). */
export function goQuote(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) {
      escaped =
        c === 0x22
          ? '\\"'
          : c === 0x5c
            ? "\\\\"
            : c === 0x0a
              ? "\\n"
              : c === 0x0d
                ? "\\r"
                : c === 0x09
                  ? "\\t"
                  : `\\u00${hex[c >> 4]}${hex[c & 0xf]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      escaped = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is not valid UTF-8: Go writes the replacement character.
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      escaped = "\\ufffd";
    }
    if (escaped !== undefined) {
      out += s.slice(from, i) + escaped;
      from = i + 1;
    }
  }
  return `${out + s.slice(from)}"`;
}

const base64Values = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decodes standard padded base64 exactly as Go's base64.StdEncoding.Decode: newlines are
 * skipped, and the error names the same input byte Go's does.
 */
export function goBase64Decode(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.floor((src.length * 3) / 4) + 3);
  let n = 0;
  let si = 0;
  const corrupt = (at: number): never => {
    throw new GoJsonError(`illegal base64 data at input byte ${at}`);
  };
  const skipNewlines = (): void => {
    while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
  };
  for (;;) {
    const quantum = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    let trailingError = -1;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return out.subarray(0, n);
        corrupt(si - j);
      }
      const c = src[si]!;
      si++;
      const v = base64Values[c]!;
      if (v !== -1) {
        quantum[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) corrupt(si - 1);
      // Padding: only in the last two places of a quantum, "==" after two symbols.
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        skipNewlines();
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 0x3d) corrupt(si - 1);
        si++;
      }
      skipNewlines();
      if (si < src.length) trailingError = si;
      dlen = j;
      break;
    }
    const value = (quantum[0]! << 18) | (quantum[1]! << 12) | (quantum[2]! << 6) | quantum[3]!;
    if (dlen >= 2) out[n++] = (value >> 16) & 0xff;
    if (dlen >= 3) out[n++] = (value >> 8) & 0xff;
    if (dlen >= 4) out[n++] = value & 0xff;
    if (trailingError !== -1) corrupt(trailingError);
    if (dlen < 4) return out.subarray(0, n);
  }
}
