// Text for the lens functions' results, in three forms each: a table (what a person scans),
// YAML (what a person reads or edits), and JSON lines (what a script parses, one JSON
// object a line). Listings stream: rows are rendered as they arrive.
import type { DecodedValue } from "./decode.js";
import type { JsonObject, JsonValue } from "./json-value.js";
import { toJsonText } from "./json-value.js";
import type { Change, History, LsRow, StoredObject, Version } from "./lens.js";
import { renderDecoded, toYaml } from "./render.js";

export type LensFormat = "table" | "yaml" | "jsonl";

const SAMPLE_ROWS = 200;

/** A listing as lines: the table sizes its columns on the first rows, then streams. */
export async function* renderLs(
  rows: AsyncIterable<LsRow>,
  format: LensFormat = "table",
): AsyncGenerator<string> {
  const counts = new Map<string, number>();
  let total = 0;
  let bytes = 0;
  const count = (r: LsRow) => {
    counts.set(r.resource, (counts.get(r.resource) ?? 0) + 1);
    total++;
    bytes += r.size;
  };
  if (format === "jsonl") {
    for await (const r of rows) {
      count(r);
      yield toJsonText(r as unknown as JsonObject);
    }
    yield toJsonText({ summary: { objects: total, bytes, resources: Object.fromEntries(sorted(counts)) } });
    return;
  }
  if (format === "yaml") {
    yield "items:";
    for await (const r of rows) {
      count(r);
      yield toYaml([r as unknown as JsonObject]).trimEnd();
    }
    yield toYaml({
      summary: { objects: total, bytes, resources: Object.fromEntries(sorted(counts)) },
    }).trimEnd();
    return;
  }
  const header = ["RESOURCE", "NAMESPACE", "NAME", "KIND", "SIZE", "REVISION"];
  const cells = (r: LsRow) => [
    r.resource,
    r.namespace,
    r.name,
    r.kind || "-",
    String(r.size),
    String(r.modRevision),
  ];
  const sample: string[][] = [];
  const iterator = rows[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done && sample.length < SAMPLE_ROWS) {
    count(next.value);
    sample.push(cells(next.value));
    next = await iterator.next();
  }
  const widths = header.map((h, i) => Math.max(h.length, ...sample.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join("   ");
  yield line(header);
  for (const c of sample) yield line(c);
  while (!next.done) {
    count(next.value);
    yield line(cells(next.value));
    next = await iterator.next();
  }
  yield "";
  for (const [resource, n] of sorted(counts)) yield `${resource}: ${n}`;
  yield `${total} objects, ${formatBytes(bytes)}`;
}

/** One stored object: YAML (with notes as comments), the JSON object, or a one-row table. */
export function renderObject(obj: StoredObject, format: LensFormat = "yaml"): string {
  if (format === "jsonl") {
    return toJsonText({
      key: obj.key,
      modRevision: obj.modRevision,
      createRevision: obj.createRevision,
      version: obj.version,
      ...describeDecoded(obj.decoded),
    });
  }
  if (format === "yaml") return renderDecoded(obj.decoded, "yaml");
  const d = obj.decoded;
  const rows = [
    ["KEY", "KIND", "FORMAT", "SIZE", "VERSION", "CREATED", "MODIFIED"],
    [
      obj.key,
      d.kind ?? "-",
      d.format,
      String(obj.size),
      String(obj.version),
      String(obj.createRevision),
      String(obj.modRevision),
    ],
  ];
  return `${table(rows)}\n`;
}

/** A key's history: a table of versions with what changed, YAML diffs, or JSON lines. */
export function renderHistory(h: History, format: LensFormat = "table"): string {
  const out: string[] = [];
  if (format === "jsonl") {
    for (const v of h.versions) {
      out.push(
        toJsonText({
          key: h.key,
          modRevision: v.modRevision,
          version: v.version,
          type: v.type,
          changes: v.diff.summary,
          ...(v.decoded ? describeDecoded(v.decoded) : {}),
        }),
      );
    }
    for (const note of h.notes) out.push(toJsonText({ key: h.key, note }));
    return `${out.join("\n")}\n`;
  }
  if (format === "yaml") {
    for (const note of h.notes) out.push(`# ${note}`);
    h.versions.forEach((v, i) => {
      out.push(`--- # revision ${v.modRevision}: ${versionLabel(v)}`);
      if (i === 0 && v.decoded) out.push(renderDecoded(v.decoded, "yaml").trimEnd());
      else if (v.type === "delete") out.push("# deleted");
      else {
        for (const s of v.diff.summary) out.push(`# ${s}`);
        out.push(v.diff.text.trimEnd());
      }
    });
    if (h.versions.length === 0) out.push("# no retained versions");
    return `${out.join("\n")}\n`;
  }
  const rows = [["REVISION", "VERSION", "EVENT", "SIZE", "CHANGES"]];
  h.versions.forEach((v, i) => {
    const summary =
      i === 0 && v.type === "put" ? (v.version === 1 ? "created" : "oldest retained") : firstChanges(v);
    rows.push([
      String(v.modRevision),
      v.type === "put" ? String(v.version) : "-",
      v.type,
      String(v.size),
      summary,
    ]);
  });
  out.push(table(rows));
  for (const note of h.notes) out.push(`note: ${note}`);
  return `${out.join("\n")}\n`;
}

/** One change from changes(): a table row, a YAML block with the diff, or a JSON line. */
export function renderChange(c: Change, format: LensFormat = "table"): string {
  if (c.type === "synced") {
    if (format === "jsonl") return toJsonText({ synced: c.revision });
    return format === "yaml"
      ? `# --- up to date at revision ${c.revision}; live changes follow ---\n`
      : `-- up to date at revision ${c.revision} --\n`;
  }
  const where = c.parsed
    ? `${c.parsed.resource.resource}${c.parsed.namespace ? ` ${c.parsed.namespace}/` : " "}${c.parsed.name}`
    : c.key;
  const rev = c.modRevision === undefined ? "-" : String(c.modRevision);
  if (format === "jsonl") {
    return toJsonText({
      type: c.type,
      key: c.key,
      ...(c.parsed
        ? { resource: c.parsed.resource.resource, namespace: c.parsed.namespace, name: c.parsed.name }
        : {}),
      ...(c.modRevision !== undefined ? { modRevision: c.modRevision } : {}),
      live: c.live,
      changes: c.diff.summary,
      ...(c.after?.object ? { object: c.after.object } : c.before?.object ? { object: c.before.object } : {}),
    });
  }
  if (format === "yaml") {
    const lines = [`# ${c.type} ${where} (revision ${rev})`];
    if (c.type === "updated") {
      for (const s of c.diff.summary) lines.push(`#   ${s}`);
      lines.push(c.diff.text.trimEnd());
    } else {
      const d = c.after ?? c.before;
      if (d) lines.push(renderDecoded(d, "yaml").trimEnd());
    }
    return `${lines.join("\n")}\n`;
  }
  const summary = c.type === "updated" ? headline(c.diff.summary) : "";
  return `${rev.padEnd(8)} ${c.type.padEnd(8)} ${where}${summary ? `  ${summary}` : ""}\n`;
}

function versionLabel(v: Version): string {
  return v.type === "delete" ? "deleted" : `version ${v.version}`;
}

function firstChanges(v: Version): string {
  if (v.type === "delete") return "deleted";
  if (v.version === 1) return "created";
  return headline(v.diff.summary);
}

/** The most telling change of a summary, and how many more there are. */
function headline(s: readonly string[]): string {
  if (s.length === 0) return "no change in the object";
  // resourceVersion changes with every write; show what else changed first.
  const interesting = s.filter((x) => !x.startsWith("metadata.resourceVersion:"));
  const shown = interesting[0] ?? s[0]!;
  return s.length > 1 ? `${shown} (+${s.length - 1} more)` : shown;
}

function describeDecoded(d: DecodedValue): JsonObject {
  const out: JsonObject = { format: d.format };
  if (d.apiVersion) out.apiVersion = d.apiVersion;
  if (d.kind) out.kind = d.kind;
  if (d.encryption) out.encryption = { ...d.encryption };
  if (d.error) out.error = d.error;
  if (d.object) out.object = d.object;
  else if (d.text !== undefined) out.text = d.text;
  else if (d.wire) out.wire = d.wire as unknown as JsonValue;
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join("   "))
    .join("\n");
}

function sorted(m: Map<string, number>): [string, number][] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
