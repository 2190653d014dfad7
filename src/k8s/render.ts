// Objects as text the way kubectl prints them (-o yaml, -o json), and a decoded value of
// any form (encrypted, unknown kind, not an object) as honest text.
import { Document, isScalar, visit } from "yaml";
import type { DecodedValue } from "./decode.js";
import type { JsonValue } from "./json-value.js";
import { isJsonObject, toJsonText } from "./json-value.js";
import { formatWire } from "./wire-dump.js";

export interface RenderOptions {
  /**
   * "schema" (default): apiVersion, kind, then fields in the schema's order (kubectl -o json).
   * "sorted": keys sorted at every level (kubectl -o yaml, which goes through a map).
   */
  order?: "schema" | "sorted";
}

// Strings that YAML 1.1 (kubectl's go-yaml) would read as another type: go-yaml writes
// these in double quotes ("True", "0755", "2017-06-27T16:35:34Z"), others needing quotes
// in single quotes. Long lines are not folded (kubectl folds at 80 columns).
const YAML11_NON_STRING = [
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(~|null|Null|NULL|)$/,
  /^[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$/,
  /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
  /^\d{4}-\d\d?-\d\d?([Tt ]|\s+)\d\d?:\d\d:\d\d(\.\d*)?(\s*(Z|[-+]\d\d?(:\d\d)?))?$|^\d{4}-\d\d-\d\d$/,
];

/** YAML as kubectl prints it: block style, lists not indented under their key. */
export function toYaml(value: JsonValue, opts: RenderOptions = {}): string {
  const data = opts.order === "sorted" ? sortKeys(value) : value;
  const doc = new Document(data, { version: "1.1", aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && YAML11_NON_STRING.some((re) => re.test(node.value as string))) {
        node.type = "QUOTE_DOUBLE";
      }
    },
    Pair(_key, pair) {
      const key = pair.key;
      if (
        isScalar(key) &&
        typeof key.value === "string" &&
        YAML11_NON_STRING.some((re) => re.test(key.value as string))
      ) {
        key.type = "QUOTE_DOUBLE";
      }
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

/** JSON as kubectl prints it (two-space indent), or compact with indent 0. */
export function toJson(value: JsonValue, opts: RenderOptions & { indent?: number } = {}): string {
  const data = opts.order === "sorted" ? sortKeys(value) : value;
  return toJsonText(data, opts.indent ?? 2);
}

export function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]!);
  return out;
}

/**
 * A decoded value as text: the object as YAML when decoded; otherwise a comment block
 * saying what it is (encrypted, unknown kind, ...) followed by the best raw view.
 */
export function renderDecoded(
  decoded: DecodedValue,
  format: "yaml" | "json" = "yaml",
  opts: RenderOptions = {},
): string {
  const notes: string[] = [];
  if (decoded.encryption) {
    const e = decoded.encryption;
    notes.push(
      `encrypted at rest: provider ${e.provider}, key ${e.keyName}${e.decrypted ? " (decrypted)" : ""}`,
    );
  }
  if (decoded.error) notes.push(decoded.error);
  for (const u of decoded.unknownFields ?? []) {
    notes.push(`fields unknown to the schema at ${u.path}: ${u.fields.map((f) => f.field).join(", ")}`);
  }
  if (decoded.object) {
    const body = format === "json" ? `${toJson(decoded.object, opts)}\n` : toYaml(decoded.object, opts);
    return format === "json" || notes.length === 0 ? body : `${comment(notes)}${body}`;
  }
  const lines = [comment(notes)];
  if (decoded.apiVersion || decoded.kind)
    lines.push(`# ${decoded.apiVersion ?? "?"} ${decoded.kind ?? "?"} (${decoded.format})\n`);
  if (decoded.wire) lines.push(`${formatWire(decoded.wire)}\n`);
  else if (decoded.text !== undefined)
    lines.push(`${decoded.text}${decoded.text.endsWith("\n") ? "" : "\n"}`);
  return lines.join("");
}

function comment(notes: string[]): string {
  return notes.map((n) => `# ${n.replace(/\n/g, "\n# ")}\n`).join("");
}
