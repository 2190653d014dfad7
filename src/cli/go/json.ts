// Go's encoding/json as etcdctl's json printer applies it to etcd's generated Go structs:
// fields in declaration order under their proto names, omitempty everywhere, 64-bit
// integers as plain numbers, bytes as base64, enums as numbers, and oneofs as an
// interface field named after the oneof holding a struct named after the member.
import { type FieldLayout, messageLayout } from "../../client/index.js";

/** Go's JSON string escaping (with HTML escaping, as json.Marshal does). */
export function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Go's protoc-gen-go CamelCase of a proto name (Go field names). */
export function goCamel(name: string): string {
  return name
    .split("_")
    .map((p) => (p ? (p[0] as string).toUpperCase() + p.slice(1) : ""))
    .join("");
}

function scalarJson(f: FieldLayout, v: unknown): string {
  if (f.type === "bytes") return `"${Buffer.from(v as Uint8Array).toString("base64")}"`;
  if (f.type === "string") return jsonString(v as string);
  if (f.type === "bool") return v ? "true" : "false";
  return String(v);
}

function isEmpty(f: FieldLayout, v: unknown): boolean {
  if (v == null) return true;
  if (f.repeated) return (v as unknown[]).length === 0;
  if (f.kind === "message") return false;
  if (typeof v === "bigint") return v === 0n;
  if (typeof v === "number") return v === 0;
  if (typeof v === "boolean") return !v;
  if (typeof v === "string") return v.length === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  return false;
}

function valueJson(f: FieldLayout, v: unknown): string {
  if (f.kind === "message") return protoJsonFields(f.type, v as Record<string, unknown>);
  return scalarJson(f, v);
}

/** The "k":v members of a proto struct (without braces), for embedding. */
export function protoJsonMembers(typeName: string, obj: Record<string, unknown>): string[] {
  const members: string[] = [];
  const doneOneofs = new Set<string>();
  for (const f of messageLayout(typeName).fields) {
    if (f.oneof !== undefined) {
      if (doneOneofs.has(f.oneof)) continue;
      doneOneofs.add(f.oneof);
      // The interface field holds whichever member is set.
      const set = messageLayout(typeName).fields.find(
        (m) => m.oneof === f.oneof && obj[m.jsName] != null && m.kind === "message",
      );
      if (!set) continue;
      const inner = `{${jsonString(goCamel(set.protoName))}:${valueJson(set, obj[set.jsName])}}`;
      members.push(`${jsonString(goCamel(f.oneof))}:${inner}`);
      continue;
    }
    const v = obj[f.jsName];
    if (isEmpty(f, v)) continue;
    const body = f.repeated ? `[${(v as unknown[]).map((x) => valueJson(f, x)).join(",")}]` : valueJson(f, v);
    members.push(`${jsonString(f.protoName)}:${body}`);
  }
  return members;
}

function protoJsonFields(typeName: string, obj: Record<string, unknown>): string {
  return `{${protoJsonMembers(typeName, obj).join(",")}}`;
}

/** json.Marshal of one of etcd's generated structs, from its friendly form. */
export function protoJson(typeName: string, obj: unknown): string {
  return protoJsonFields(typeName, obj as Record<string, unknown>);
}

/** proto's compact text form (a generated struct's String()), as %v prints it. */
export function compactText(
  typeName: string,
  obj: unknown,
  enumName?: (f: FieldLayout, v: number) => string,
): string {
  const o = obj as Record<string, unknown>;
  let out = "";
  for (const f of messageLayout(typeName).fields) {
    const v = o[f.jsName];
    if (isEmpty(f, v) || f.repeated || f.kind === "message") continue;
    const text =
      f.kind === "enum" && enumName
        ? enumName(f, v as number)
        : f.type === "string"
          ? jsonString(v as string)
          : String(v);
    out += `${f.protoName}:${text} `;
  }
  return out;
}
