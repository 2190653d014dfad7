// A schema-free view of protobuf bytes with field numbers: the fallback when a value's
// kind is unknown or its bytes do not fit the schema. Never throws: what cannot be parsed
// is shown as bytes.
import { WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, WireReader } from "./wire.js";

export type WireNode =
  | { field: number; wire: "varint"; value: string }
  | { field: number; wire: "fixed32" | "fixed64"; value: string }
  | { field: number; wire: "bytes"; string?: string; base64?: string; message?: WireNode[] };

const MAX_DEPTH = 32;

/** The fields of `buf` as a message, or undefined when it does not parse as one completely. */
export function parseWire(buf: Uint8Array, depth = 0): WireNode[] | undefined {
  const nodes: WireNode[] = [];
  const r = new WireReader(buf);
  try {
    while (!r.done) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const wt = tag & 7;
      if (field === 0) return undefined;
      switch (wt) {
        case WIRE_VARINT:
          nodes.push({ field, wire: "varint", value: String(r.int64(false)) });
          break;
        case WIRE_FIXED64:
          nodes.push({ field, wire: "fixed64", value: r.fixed64().toString() });
          break;
        case WIRE_FIXED32:
          nodes.push({ field, wire: "fixed32", value: String(r.fixed32()) });
          break;
        case WIRE_BYTES:
          nodes.push(bytesNode(field, r.bytes(), depth));
          break;
        default:
          return undefined;
      }
    }
  } catch {
    return undefined;
  }
  return nodes;
}

function bytesNode(field: number, b: Uint8Array, depth: number): WireNode {
  const text = printable(b);
  if (text !== undefined) return { field, wire: "bytes", string: text };
  if (depth < MAX_DEPTH) {
    const message = parseWire(b, depth + 1);
    if (message && message.length > 0) return { field, wire: "bytes", message };
  }
  return { field, wire: "bytes", base64: Buffer.from(b).toString("base64") };
}

/** The bytes as text when they are valid UTF-8 without control characters (but tab/newline). */
function printable(b: Uint8Array): string | undefined {
  if (b.length === 0) return "";
  const text = Buffer.from(b).toString("utf8");
  if (text.includes("\uFFFD")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we test for
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return undefined;
  return text;
}

/** The dump as indented text: `2: "value"`, `3: 42`, `1 {` ... `}`. */
export function formatWire(nodes: readonly WireNode[], indent = ""): string {
  const lines: string[] = [];
  for (const n of nodes) {
    if (n.wire !== "bytes")
      lines.push(`${indent}${n.field}: ${n.value}${n.wire === "varint" ? "" : ` (${n.wire})`}`);
    else if (n.message) {
      lines.push(`${indent}${n.field} {`);
      lines.push(formatWire(n.message, `${indent}  `));
      lines.push(`${indent}}`);
    } else if (n.string !== undefined) lines.push(`${indent}${n.field}: ${JSON.stringify(n.string)}`);
    else lines.push(`${indent}${n.field}: base64:${n.base64}`);
  }
  return lines.join("\n");
}

/** A dump of any bytes: the message fields when they parse, else the bytes themselves. */
export function dumpBytes(buf: Uint8Array): string {
  const nodes = parseWire(buf);
  if (nodes) return formatWire(nodes);
  const text = printable(buf);
  return text !== undefined ? JSON.stringify(text) : `base64:${Buffer.from(buf).toString("base64")}`;
}
