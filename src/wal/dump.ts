// Inspection tools for tests and operators: every record of a WAL with its place on
// disk, and the entries in the shape of etcd's etcd-dump-logs. Read-only, no lock taken;
// a torn tail ends the dump (and is reported) instead of failing it.
import { etcdserverpb, type Int64, raftpb, toId } from "../proto/index.js";
import { decodeSegments } from "./decoder.js";
import type { WalUnexpectedEofError } from "./errors.js";
import { nodeFs, type WalFs } from "./fs.js";
import { listSegments } from "./names.js";
import { decodeEntry, decodeHardState, decodeWalSnapshot, RecordType, recordTypeName } from "./record.js";
import type { WalEntry, WalHardState } from "./types.js";

export interface DumpedRecord {
  readonly segment: string;
  readonly offset: number;
  readonly type: string;
  readonly crc: number;
  /** The decoded payload: entry, hard state, snapshot, or metadata bytes as hex. */
  readonly value: WalEntry | WalHardState | { index: number; term: number } | string | null;
}

export interface WalDump {
  readonly records: DumpedRecord[];
  /** Set when the last segment ends in a torn record. */
  readonly torn?: WalUnexpectedEofError;
}

/** Every record in every segment of `dir`, in order. */
export async function dumpWal(dir: string, fs: WalFs = nodeFs): Promise<WalDump> {
  const segments = await listSegments(fs, dir);
  const records: DumpedRecord[] = [];
  const end = await decodeSegments(fs, dir, segments, (rec) => {
    let value: DumpedRecord["value"];
    switch (rec.type) {
      case RecordType.entry:
        value = decodeEntry(rec.data);
        break;
      case RecordType.state:
        value = decodeHardState(rec.data);
        break;
      case RecordType.snapshot:
        value = decodeWalSnapshot(rec.data);
        break;
      case RecordType.crc:
        value = null;
        break;
      default:
        value = Buffer.from(rec.data).toString("hex");
    }
    records.push({
      segment: rec.segment,
      offset: rec.offset,
      type: recordTypeName(rec.type),
      crc: rec.crc,
      value,
    });
  });
  return end.torn === undefined ? { records } : { records, torn: end.torn };
}

const hexId = (id: Int64 | bigint) => (typeof id === "bigint" ? id : toId(id)).toString(16);

/** One entry's data as etcd-dump-logs prints it: request, conf change, or `???`. */
export function describeEntry(e: WalEntry): string {
  if (e.type === raftpb.EntryType.EntryConfChange) {
    try {
      const cc = raftpb.ConfChange.decode(e.data);
      return `conf\tmethod=${raftpb.ConfChangeType[cc.type]} id=${hexId(cc.nodeId)}`;
    } catch {
      return "conf\t???";
    }
  }
  if (e.type !== raftpb.EntryType.EntryNormal) return `type${e.type}\t???`;
  if (e.data.length === 0) return "norm\tnoop";
  try {
    return `norm\t${render(etcdserverpb.InternalRaftRequest.decode(e.data))}`;
  } catch {}
  try {
    const r = etcdserverpb.Request.decode(e.data);
    return `norm\tmethod=${r.Method} path=${JSON.stringify(r.Path)}${r.Val === "" ? "" : ` val=${JSON.stringify(r.Val)}`}`;
  } catch {}
  return "norm\t???";
}

/** A decoded protobuf message as compact text: set fields only, bytes as strings. */
function render(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString("latin1"));
  if (typeof value === "object" && value !== null) {
    // A 64-bit integer (Long): its own toString is exact and honours signedness.
    if ("low" in value && "high" in value) return String(value);
    if (Array.isArray(value)) return `[${value.map(render).join(" ")}]`;
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (k === "$unknowns" || v === null || v === undefined) continue;
      parts.push(`${k}:${render(v)}`);
    }
    return `{${parts.join(" ")}}`;
  }
  return JSON.stringify(value);
}

/** The entries, metadata and hard state as etcd-dump-logs lays them out. */
export function formatEntries(metadata: Uint8Array, hardState: WalHardState, entries: readonly WalEntry[]) {
  const lines: string[] = [];
  let ids = "nodeID=? clusterID=?";
  try {
    const md = etcdserverpb.Metadata.decode(metadata);
    ids = `nodeID=${hexId(md.NodeID)} clusterID=${hexId(md.ClusterID)}`;
  } catch {}
  lines.push("WAL metadata:");
  lines.push(
    `${ids} term=${hardState.term} commitIndex=${hardState.commit} vote=${hardState.vote.toString(16)}`,
  );
  lines.push(`WAL entries: ${entries.length}`);
  if (entries.length > 0) lines.push(`lastIndex=${entries[entries.length - 1]!.index}`);
  lines.push(`${"term".padStart(4)}\t${"index".padStart(10)}\ttype\tdata`);
  for (const e of entries)
    lines.push(`${String(e.term).padStart(4)}\t${String(e.index).padStart(10)}\t${describeEntry(e)}`);
  return `${lines.join("\n")}\n`;
}
