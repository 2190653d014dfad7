// Text the lens commands print beyond src/k8s's renderers: the default ("simple") forms
// that show every diff, and the decoded forms of `get` (one stored key-value at a time).
import type { Change, DecodedValue, History, StoredObject } from "../../k8s/index.js";
import { formatWire, renderChange, renderDecoded, renderHistory, toYaml } from "../../k8s/index.js";
import { goQuote } from "../go/format.js";

/** A key as text when it is printable UTF-8, otherwise Go-quoted (so no byte is lost or hidden). */
export function readableKey(key: Buffer): string {
  const text = key.toString("utf8");
  const clean = Buffer.from(text, "utf8").equals(key) && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(text);
  return clean ? text : goQuote(key);
}

/** The history table, its notes, then the diff between each version and the one before. */
export function historySimple(h: History): string {
  const out = [renderHistory(h, "table").trimEnd()];
  h.versions.forEach((v, i) => {
    if (i === 0) return;
    out.push("");
    if (v.type === "delete") {
      out.push(`revision ${v.modRevision}: deleted`);
      return;
    }
    const label =
      v.version === 1
        ? `revision ${v.modRevision}: created again`
        : `revision ${v.modRevision}, version ${v.version}:`;
    out.push(label);
    for (const s of v.diff.summary) out.push(`  ${s}`);
    if (v.version > 1 && v.diff.text) out.push(v.diff.text.trimEnd());
    if (v.diff.summary.length === 0) out.push("  (written again without a change)");
  });
  return `${out.join("\n")}\n`;
}

/** One change as a line (the table form) followed by its diff. */
export function changeSimple(c: Change): string {
  const line = renderChange(c, "table");
  if (c.type === "synced") return line;
  const summary = c.type === "updated" ? c.diff.summary.map((s) => `  ${s}\n`).join("") : "";
  const diff = c.diff.text ? c.diff.text : c.type === "updated" ? "  (written again without a change)\n" : "";
  return `${line}${summary}${diff}\n`;
}

/** How a stored value was read, for a header line. */
export function describeStored(o: StoredObject): string {
  const d = o.decoded;
  const what = d.kind ? `${d.apiVersion ?? "?"} ${d.kind}, ` : "";
  return `${o.key} (${what}${d.format}${d.encryption ? ` ${d.encryption.provider}` : ""}, ${o.size} bytes, revision ${o.modRevision}, version ${o.version})`;
}

/** The decoded value as YAML; a value that is no object becomes a YAML string, with why as comments. */
export function yamlBody(d: DecodedValue): string {
  if (d.object) return renderDecoded(d, "yaml");
  const notes: string[] = [];
  if (d.encryption)
    notes.push(`encrypted at rest: provider ${d.encryption.provider}, key ${d.encryption.keyName}`);
  if (d.error) notes.push(d.error);
  if (d.apiVersion || d.kind) notes.push(`${d.apiVersion ?? "?"} ${d.kind ?? "?"} (${d.format})`);
  if (d.wire) notes.push(...formatWire(d.wire).split("\n"));
  const comments = notes.map((n) => `# ${n.replace(/\n/g, "\n# ")}\n`).join("");
  return `${comments}${d.text !== undefined ? toYaml(d.text) : "null\n"}`;
}

/** A stored key-value as one YAML document: a comment saying where it is, then the object. */
export function yamlDocument(o: StoredObject): string {
  return `---\n# ${describeStored(o)}\n${yamlBody(o.decoded)}`;
}
