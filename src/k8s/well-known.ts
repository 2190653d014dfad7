// Types Go marshals with their own MarshalJSON, both ways: meta.v1.Time and MicroTime
// (RFC 3339), Duration (Go's duration string), resource.Quantity (its string),
// intstr.IntOrString (number or string), FieldsV1 and RawExtension (embedded JSON).
import type { JsonValue } from "./json-value.js";
import { isJsonObject, parseJsonText, toJsonText } from "./json-value.js";

/** Seconds of Go's zero time.Time (0001-01-01T00:00:00Z) since the Unix epoch. */
const GO_ZERO_SECONDS = -62135596800;

/** Time/MicroTime {seconds, nanos} as kubectl prints them; null for Go's zero time. */
export function timeToJson(
  seconds: number | bigint | undefined,
  nanos: number,
  micro: boolean,
  empty: boolean,
): string | null {
  if (empty) return null;
  const s = Number(seconds ?? 0);
  if (s === GO_ZERO_SECONDS && nanos === 0) return null;
  const date = new Date(s * 1000);
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z (or ±YYYYYY-... far out)
  const base = iso.slice(0, iso.length - 5);
  if (!micro) return `${base}Z`;
  const us = Math.floor(Math.max(0, nanos) / 1000) % 1000000;
  return `${base}.${String(us).padStart(6, "0")}Z`;
}

const RFC3339 =
  /^([+-]?\d{4,6})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;

/** Parses an RFC 3339 time into {seconds, nanos}; undefined when it is not one. */
export function parseTime(text: string): { seconds: number; nanos: number } | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  let seconds = Math.floor(ms / 1000);
  if (Number(y) < 100 && Number(y) >= 0) {
    // Date.UTC maps years 0-99 to 1900-1999.
    const fixed = new Date(ms);
    fixed.setUTCFullYear(Number(y));
    seconds = Math.floor(fixed.getTime() / 1000);
  }
  if (sign) seconds -= (sign === "-" ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { seconds, nanos };
}

/** Go's time.Duration.String() of a count of nanoseconds. */
export function durationToString(ns: number | bigint): string {
  let u = BigInt(ns);
  if (u === 0n) return "0s";
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < 1000000000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1000000n) out = `${frac(u, 3)}µs`;
    else out = `${frac(u, 6)}ms`;
  } else {
    out = `${frac(u % 60000000000n, 9)}s`;
    let rest = u / 60000000000n;
    if (rest > 0n) {
      out = `${rest % 60n}m${out}`;
      rest /= 60n;
      if (rest > 0n) out = `${rest}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** v / 10^digits with the fraction's trailing zeros dropped (Go's fmtFrac + fmtInt). */
function frac(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = v / scale;
  const part = (v % scale).toString().padStart(digits, "0").replace(/0+$/, "");
  return part ? `${whole}.${part}` : `${whole}`;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** Parses a Go duration string ("1h2m3.5s") into nanoseconds; undefined when malformed. */
export function parseDuration(text: string): bigint | undefined {
  let rest = text;
  let neg = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    neg = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") return undefined;
  let total = 0n;
  while (rest.length > 0) {
    const m = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === "" && (m[2] ?? "") === "")) return undefined;
    const unit = DURATION_UNITS[m[3]!]!;
    total += BigInt(m[1] || "0") * unit;
    if (m[2]) total += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    rest = rest.slice(m[0].length);
  }
  return neg ? -total : total;
}

/** An IntOrString {type, intVal, strVal} as Go marshals it. */
export function intOrStringToJson(type: number, intVal: number, strVal: string): number | string {
  return type === 1 ? strVal : intVal;
}

/** The marker for embedded bytes that are not JSON (CBOR, binary): kept as base64. */
export const RAW_MARKER = "$raw";

/** FieldsV1/RawExtension bytes as Go marshals them: the embedded JSON, null when absent. */
export function embeddedToJson(raw: Uint8Array | undefined, kind: "FieldsV1" | "RawExtension"): JsonValue {
  if (raw === undefined) return null;
  if (raw.length === 0) return kind === "FieldsV1" ? null : { [RAW_MARKER]: "" };
  const first = raw[0]!;
  // RawExtension.guessContentType: JSON starts with whitespace or a JSON token.
  if (
    kind === "FieldsV1" ? first === 0x7b : '\t\r\n {[ntf"-0123456789'.includes(String.fromCharCode(first))
  ) {
    try {
      return parseJsonText(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString("utf8"));
    } catch {
      // not JSON after all: keep the bytes
    }
  }
  return { [RAW_MARKER]: Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString("base64") };
}

/** The bytes to store for an embedded JSON value (inverse of embeddedToJson). */
export function embeddedFromJson(value: JsonValue): Buffer {
  if (isJsonObject(value) && Object.keys(value).length === 1 && typeof value[RAW_MARKER] === "string") {
    return Buffer.from(value[RAW_MARKER], "base64");
  }
  return Buffer.from(toJsonText(value), "utf8");
}
