// Go's text forms that etcd's flags inherit: strconv's integers and booleans with the
// flag package's error words, and strconv.Quote for error messages.

/** The flag package's wording for strconv syntax and range errors. */
export const PARSE_ERROR = "parse error";
export const RANGE_ERROR = "value out of range";

/** A value a flag rejects; `message` is what Go's flag package appends after the colon. */
export class FlagValueError extends Error {
  override name = "FlagValueError";
}

/** Go's `strconv.Quote` for the text etcd puts in messages (%q). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\x07") out += "\\a";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's %q of a string slice: ["a" "b"]. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(" ")}]`;
}

type IntResult = { ok: true; value: bigint } | { ok: false; range: boolean };

/** strconv.ParseUint/ParseInt with base 0: 0x, 0o, 0b prefixes, leading-0 octal, `_` separators. */
function parseBase0(text: string, signed: boolean): IntResult {
  let s = text;
  let neg = false;
  if (signed && (s.startsWith("-") || s.startsWith("+"))) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let digits = s;
  let radix = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [radix, digits, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [radix, digits, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [radix, digits, prefixed] = [2, s.slice(2), true];
  else if (/^0./.test(s)) [radix, digits, prefixed] = [8, s.slice(1), true];
  // Underscores may only separate digits (and follow a base prefix), and only with base 0.
  if (digits.includes("_")) {
    const shape = prefixed ? /^_?[^_]+(_[^_]+)*$/ : /^[^_]+(_[^_]+)*$/;
    if (!shape.test(digits)) return { ok: false, range: false };
    digits = digits.replaceAll("_", "");
  }
  const alphabet = "0123456789abcdef".slice(0, radix);
  if (digits === "" || ![...digits.toLowerCase()].every((d) => alphabet.includes(d))) {
    return { ok: false, range: false };
  }
  let value = 0n;
  for (const d of digits.toLowerCase()) value = value * BigInt(radix) + BigInt(alphabet.indexOf(d));
  return { ok: true, value: neg ? -value : value };
}

/** strconv.ParseUint(s, 0, bits) as the flag package reports errors ("parse error", "value out of range"). */
export function parseGoUint(text: string, bits: 32 | 64): number {
  const r = parseBase0(text, false);
  if (!r.ok) throw new FlagValueError(PARSE_ERROR);
  if (r.value >= 1n << BigInt(bits)) throw new FlagValueError(RANGE_ERROR);
  return Number(r.value);
}

/** strconv.ParseInt(s, 0, 64) with the flag package's error words. */
export function parseGoInt(text: string): number {
  const r = parseBase0(text, true);
  if (!r.ok) throw new FlagValueError(PARSE_ERROR);
  if (r.value >= 1n << 63n || r.value < -(1n << 63n)) throw new FlagValueError(RANGE_ERROR);
  return Number(r.value);
}

/**
 * etcd's own uint32 flag (`--max-concurrent-streams`) reports strconv's raw error rather
 * than the flag package's words: `strconv.ParseUint: parsing "-1": invalid syntax`.
 */
export function parseGoUint32Raw(text: string): number {
  const r = parseBase0(text, false);
  if (!r.ok) throw new FlagValueError(`strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  if (r.value >= 1n << 32n)
    throw new FlagValueError(`strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  return Number(r.value);
}

/** strconv.ParseBool. */
export function parseGoBool(text: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  throw new FlagValueError(PARSE_ERROR);
}
