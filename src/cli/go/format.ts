// The few pieces of Go's formatting and parsing that etcdctl's output and flags depend
// on, reproduced byte for byte: strconv.Quote (%q), time.Duration's String and
// ParseDuration, strconv.ParseInt with base 0, strconv.ParseBool, humanize.Bytes.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}

/** Go's strconv.Quote of a byte string (invalid UTF-8 bytes become \xNN). */
export function goQuote(input: string | Uint8Array): string {
  const b = typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input);
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      out += quoteAscii(c);
      continue;
    }
    const { rune, size } = decodeRune(b, i);
    if (rune === -1) {
      out += `\\x${hex2(c)}`;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(rune);
    i += size;
    if (PRINTABLE.test(ch)) out += ch;
    else if (rune < 0x10000) out += `\\u${rune.toString(16).padStart(4, "0")}`;
    else out += `\\U${rune.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

function quoteAscii(c: number): string {
  switch (c) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
    case 0x5c:
      return "\\\\";
    case 0x22:
      return '\\"';
  }
  if (c < 0x20 || c === 0x7f) return `\\x${hex2(c)}`;
  return String.fromCharCode(c);
}

/** Decodes one UTF-8 rune as Go does; rune -1 for an invalid or overlong sequence. */
function decodeRune(b: Uint8Array, i: number): { rune: number; size: number } {
  const c0 = b[i] as number;
  const cont = (k: number) => {
    const c = b[i + k];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? { rune: -1, size: 1 } : { rune: ((c0 & 0x1f) << 6) | c1, size: 2 };
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return { rune: -1, size: 1 };
    const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return { rune: -1, size: 1 };
    return { rune: r, size: 3 };
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return { rune: -1, size: 1 };
    const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10ffff) return { rune: -1, size: 1 };
    return { rune: r, size: 4 };
  }
  return { rune: -1, size: 1 };
}

/** Go's time.Duration.String for a duration in nanoseconds. */
export function durationString(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = "ns";
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = "µs";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const d = v % 10n;
    print = print || d !== 0n;
    if (print) digits = `${d}${digits}`;
    v /= 10n;
  }
  return [print ? `.${digits}` : "", v];
}

/** Milliseconds as a Go duration string. */
export function msString(ms: number): string {
  return durationString(BigInt(Math.round(ms * 1e6)));
}

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's time.ParseDuration; returns nanoseconds or throws Go's error text. */
export function parseDuration(s: string): number {
  const orig = s;
  const bad = () => new Error(`time: invalid duration ${goQuote(orig)}`);
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw bad();
  let total = 0;
  while (s !== "") {
    const m = /^(\d*)(\.(\d*))?/.exec(s);
    const intPart = m?.[1] ?? "";
    const fracPart = m?.[3] ?? "";
    if (intPart === "" && fracPart === "") throw bad();
    if (m?.[2] !== undefined && intPart === "" && fracPart === "") throw bad();
    s = s.slice(m?.[0].length ?? 0);
    const u = /^[^0-9.]+/.exec(s)?.[0];
    if (u === undefined) throw new Error(`time: missing unit in duration ${goQuote(orig)}`);
    const unit = UNITS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`);
    s = s.slice(u.length);
    total += Number(`${intPart || "0"}.${fracPart || "0"}`) * unit;
  }
  return neg ? -total : total;
}

/** Go's strconv.ParseInt(s, 0, bits) (base from prefix, underscores allowed); throws Go's error. */
export function parseGoInt(s: string, bits = 64, fn = "strconv.ParseInt"): bigint {
  const syntax = () => new Error(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  let body = s;
  let neg = false;
  if (body[0] === "+" || body[0] === "-") {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  if (body === "") throw syntax();
  let base = 10;
  let digits = body;
  let prefixed = false;
  if (body[0] === "0" && body.length > 1) {
    const p = body[1]?.toLowerCase();
    if (p === "x") base = 16;
    else if (p === "o") base = 8;
    else if (p === "b") base = 2;
    if (base !== 10) {
      digits = body.slice(2);
      prefixed = true;
    } else {
      base = 8;
      digits = body.slice(1);
      prefixed = true;
    }
  }
  // Underscores may only separate digits (and follow a base prefix).
  if (digits.includes("_")) {
    const ok = new RegExp(`^${prefixed ? "_?" : ""}[^_]+(_[^_]+)*$`).test(digits);
    if (!ok) throw syntax();
    digits = digits.replaceAll("_", "");
  }
  if (digits === "") throw syntax();
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[
    base as 2 | 8 | 10 | 16
  ];
  if (!valid.test(digits)) throw syntax();
  const prefix = { 2: "0b", 8: "0o", 10: "", 16: "0x" }[base as 2 | 8 | 10 | 16];
  let v = BigInt(`${prefix}${digits}`);
  if (neg) v = -v;
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -(1n << BigInt(bits - 1));
  if (v > max || v < min) throw new Error(`${fn}: parsing ${goQuote(s)}: value out of range`);
  return v;
}

/** Go's strconv.ParseInt(s, 16, 64) as etcdctl uses for lease and member IDs. */
export function parseHexInt(s: string, signed: boolean): bigint {
  const fn = signed ? "strconv.ParseInt" : "strconv.ParseUint";
  let body = s;
  let neg = false;
  if (signed && (body[0] === "+" || body[0] === "-")) {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  if (body === "" || !/^[0-9a-fA-F]+$/.test(body)) {
    throw new Error(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
  }
  let v = BigInt(`0x${body}`);
  if (neg) v = -v;
  const [min, max] = signed ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
  if (v > max || v < min) throw new Error(`${fn}: parsing ${goQuote(s)}: value out of range`);
  return v;
}

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

/** go-humanize's Bytes (SI units). */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  if (val < 10) return `${val.toFixed(1)} ${sizes[e]}`;
  // Go's %.0f rounds an exact half to even (20.5 -> "20"); toFixed would round it up.
  const whole = Math.floor(val);
  const rounded = val - whole === 0.5 ? (whole % 2 === 0 ? whole : whole + 1) : Math.round(val);
  return `${rounded} ${sizes[e]}`;
}

/** Go's %016x (or %16x with pad " ") of an integer: a negative value keeps its sign. */
export function hex64(v: bigint, width = 16, pad = "0"): string {
  if (v < 0n) {
    const digits = (-v).toString(16);
    return pad === "0" ? `-${digits.padStart(width - 1, "0")}` : `-${digits}`.padStart(width, " ");
  }
  return v.toString(16).padStart(width, pad);
}

/** Go's strconv.ParseInt(s, 10, 64). */
export function parseDecimal(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) {
    throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  }
  return v;
}
