// The object model every decoder produces and the encoder consumes: plain JSON data in
// kubectl's key order, with integers beyond 2^53 kept exact as bigint.

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Deep equality of two JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a === "bigint" || typeof b === "bigint") {
    return (typeof a === "bigint" || typeof a === "number") &&
      (typeof b === "bigint" || typeof b === "number")
      ? BigInt(a) === BigInt(b)
      : false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]!));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
  }
  return false;
}

/**
 * JSON text of a value: like JSON.stringify but bigints are written as exact numbers and
 * `indent` > 0 gives kubectl's layout (two spaces, `"key": value`).
 */
export function toJsonText(value: JsonValue, indent = 0): string {
  const out: string[] = [];
  write(value, indent, "", out);
  return out.join("");
}

function write(value: JsonValue, indent: number, pad: string, out: string[]): void {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === "number") {
    out.push(Number.isFinite(value) ? String(value) : "null");
    return;
  }
  if (typeof value === "bigint") {
    out.push(value.toString());
    return;
  }
  const inner = indent > 0 ? pad + " ".repeat(indent) : "";
  const nl = indent > 0 ? "\n" : "";
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    out.push(`[${nl}`);
    value.forEach((v, i) => {
      out.push(inner);
      write(v, indent, inner, out);
      out.push(i < value.length - 1 ? `,${nl}` : nl);
    });
    out.push(`${indent > 0 ? pad : ""}]`);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push("{}");
    return;
  }
  out.push(`{${nl}`);
  keys.forEach((k, i) => {
    out.push(`${inner}${JSON.stringify(k)}:${indent > 0 ? " " : ""}`);
    write(value[k]!, indent, inner, out);
    out.push(i < keys.length - 1 ? `,${nl}` : nl);
  });
  out.push(`${indent > 0 ? pad : ""}}`);
}

/** Whether this runtime's JSON.parse hands revivers the source text (V8 11.4+, Node 21+). */
const REVIVER_HAS_SOURCE = (() => {
  let seen = false;
  JSON.parse("1", (_key, value, context?: { source?: string }) => {
    seen = context?.source === "1";
    return value;
  });
  return seen;
})();

/**
 * Parses JSON text, keeping integers beyond 2^53 exact as bigint where the runtime lets a
 * reviver see the source text (elsewhere such integers round, as in JavaScript generally).
 */
export function parseJsonText(text: string): JsonValue {
  if (!REVIVER_HAS_SOURCE) return JSON.parse(text) as JsonValue;
  return JSON.parse(text, (_key, value, context?: { source?: string }) => {
    if (
      typeof value === "number" &&
      !Number.isSafeInteger(value) &&
      Number.isInteger(value) &&
      context?.source
    ) {
      if (/^-?\d+$/.test(context.source)) return BigInt(context.source);
    }
    return value;
  }) as JsonValue;
}
