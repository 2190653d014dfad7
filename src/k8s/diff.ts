// What changed between two versions of an object: a line diff of their YAML with
// context (unified-diff style), and a summary of changed paths ("spec.replicas: 2 -> 3").
// Nothing is ignored: resourceVersion, managedFields and status changes all show.
import type { JsonValue } from "./json-value.js";
import { isJsonObject, jsonEqual, toJsonText } from "./json-value.js";
import type { RenderOptions } from "./render.js";
import { toYaml } from "./render.js";

export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

export interface DiffHunk {
  /** 1-based first line in the old text (0 when the hunk has no old lines). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** Beyond this many differing lines the middle is shown as replaced whole (bounded work). */
const MAX_EDIT_DISTANCE = 1000;

/** The edit script between two line lists: trims common ends, then Myers' O(ND) diff. */
export function diffLineLists(a: readonly string[], b: readonly string[]): DiffLine[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const out: DiffLine[] = a.slice(0, pre).map((text) => ({ op: " ", text }));
  out.push(...myers(midA, midB));
  out.push(...a.slice(a.length - suf).map((text) => ({ op: " " as const, text })));
  return out;
}

function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text) => ({ op: "+", text }));
  if (m === 0) return a.map((text) => ({ op: "-", text }));
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  if (!found) {
    return [
      ...a.map((text) => ({ op: "-" as const, text })),
      ...b.map((text) => ({ op: "+" as const, text })),
    ];
  }
  // Walk the trace backwards to recover the path.
  const ops: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: " ", text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ op: "+", text: b[y - 1]! });
      else ops.push({ op: "-", text: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** Groups an edit script into hunks with `context` unchanged lines around each change. */
export function toHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  const changed = lines.map((l, i) => (l.op === " " ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return hunks;
  // Line numbers before each position.
  const oldNo: number[] = [];
  const newNo: number[] = [];
  let o = 1;
  let nn = 1;
  for (const l of lines) {
    oldNo.push(o);
    newNo.push(nn);
    if (l.op !== "+") o++;
    if (l.op !== "-") nn++;
  }
  let start = Math.max(0, changed[0]! - context);
  let end = Math.min(lines.length, changed[0]! + context + 1);
  const flush = () => {
    const slice = lines.slice(start, end);
    const oldLines = slice.filter((l) => l.op !== "+").length;
    const newLines = slice.filter((l) => l.op !== "-").length;
    hunks.push({
      oldStart: oldLines === 0 ? oldNo[start]! - 1 : oldNo[start]!,
      oldLines,
      newStart: newLines === 0 ? newNo[start]! - 1 : newNo[start]!,
      newLines,
      lines: slice,
    });
  };
  for (const i of changed.slice(1)) {
    if (i - context <= end) end = Math.min(lines.length, i + context + 1);
    else {
      flush();
      start = Math.max(0, i - context);
      end = Math.min(lines.length, i + context + 1);
    }
  }
  flush();
  return hunks;
}

/** Hunks as unified-diff text (`@@ -a,b +c,d @@` headers, ` `/`-`/`+` prefixed lines). */
export function formatHunks(hunks: readonly DiffHunk[]): string {
  const out: string[] = [];
  for (const h of hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(`${l.op}${l.text}`);
  }
  return out.length ? `${out.join("\n")}\n` : "";
}

export interface PathChange {
  /** e.g. "spec.replicas", "metadata.labels[\"app.kubernetes.io/name\"]", "spec.containers[name=web].image" */
  path: string;
  kind: "added" | "removed" | "changed";
  before?: JsonValue;
  after?: JsonValue;
}

/** Every changed leaf (or added/removed subtree) between two values. */
export function changedPaths(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path = "",
): PathChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path: path || ".", kind: "added", after: after! }];
  if (after === undefined) return [{ path: path || ".", kind: "removed", before }];
  if (jsonEqual(before, after)) return [];
  if (isJsonObject(before) && isJsonObject(after)) {
    const out: PathChange[] = [];
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.hasOwn(before, k))];
    for (const k of keys) out.push(...changedPaths(before[k], after[k], keyPath(path, k)));
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const byName = namedItems(before) && namedItems(after);
    if (byName) {
      const out: PathChange[] = [];
      const oldNames = new Map(before.map((v) => [(v as { name: string }).name, v]));
      const newNames = new Map(after.map((v) => [(v as { name: string }).name, v]));
      for (const [name, v] of oldNames)
        out.push(...changedPaths(v, newNames.get(name), `${path}[name=${name}]`));
      for (const [name, v] of newNames)
        if (!oldNames.has(name)) out.push(...changedPaths(undefined, v, `${path}[name=${name}]`));
      return out;
    }
    const out: PathChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      out.push(...changedPaths(before[i], after[i], `${path}[${i}]`));
    }
    return out;
  }
  return [{ path: path || ".", kind: "changed", before, after }];
}

function namedItems(list: JsonValue[]): boolean {
  if (list.length === 0) return false;
  const names = new Set<string>();
  for (const v of list) {
    if (!isJsonObject(v) || typeof v.name !== "string" || names.has(v.name)) return false;
    names.add(v.name);
  }
  return true;
}

function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** A value in a summary: scalars in full, small structures inline, large ones by size. */
export function summarizeValue(v: JsonValue): string {
  const text = toJsonText(v);
  if (text.length <= 60) return text;
  if (Array.isArray(v)) return `[${v.length} items]`;
  if (isJsonObject(v)) return `{${Object.keys(v).length} fields}`;
  return `${text.slice(0, 57)}..."`;
}

/** One change as a summary line: "spec.replicas: 2 -> 3", "metadata.labels.x: added \"y\"". */
export function formatChange(c: PathChange): string {
  if (c.kind === "added") return `${c.path}: added ${summarizeValue(c.after!)}`;
  if (c.kind === "removed") return `${c.path}: removed (was ${summarizeValue(c.before!)})`;
  return `${c.path}: ${summarizeValue(c.before!)} -> ${summarizeValue(c.after!)}`;
}

export interface ObjectDiff {
  hunks: DiffHunk[];
  changes: PathChange[];
  /** The unified diff text of the YAML renderings. */
  text: string;
  /** One line per changed path. */
  summary: string[];
}

/** The diff between two versions of an object (undefined: did not exist). */
export function diffObjects(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  opts: RenderOptions & { context?: number } = {},
): ObjectDiff {
  const a = before === undefined ? [] : splitLines(toYaml(before, opts));
  const b = after === undefined ? [] : splitLines(toYaml(after, opts));
  const hunks = toHunks(diffLineLists(a, b), opts.context ?? 3);
  const changes = changedPaths(before, after);
  return { hunks, changes, text: formatHunks(hunks), summary: changes.map(formatChange) };
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
