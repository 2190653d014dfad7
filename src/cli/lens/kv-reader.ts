// The Kubernetes lens reads through this: tetcd's client seen as the lens's KvReader.
// Ranges carry the revision, limit and keys-only options and one deadline each; a watch
// becomes an async iterable of put/delete events plus progress events, asking for progress
// while idle (see progress-gate.ts for which answers are believed) and after each response
// (which holds whole revisions), and a watch cancelled
// for compaction throws the lens's CompactedError with the compaction revision.
import type {
  Bytes,
  CallOptions,
  GetOptions,
  RangeResponse,
  WatchResponse,
  KeyValue as WireKeyValue,
} from "../../client/index.js";
import { type WatchOptions as ClientWatchOptions, EventType, isProgressNotify } from "../../client/index.js";
import type {
  KeyValue,
  KvReader,
  RangeOptions,
  RangeResult,
  WatchEvent,
  WatchOptions,
} from "../../k8s/index.js";
import { CompactedError, FUTURE_REVISION_MESSAGE } from "../../k8s/index.js";
import { DEFAULT_PROGRESS_GATE, ProgressGate, type ProgressGateOptions } from "./progress-gate.js";

/** A watch as the client gives it (Watcher). */
export interface WatchStream extends AsyncIterable<WatchResponse> {
  cancel(): void;
  requestProgress(): void;
}

/** What the reader needs from a client (tetcd's Client has it). */
export interface LensClient {
  get(key: Bytes, options?: GetOptions, opts?: CallOptions): Promise<RangeResponse>;
  watch(key: Bytes, options?: ClientWatchOptions): WatchStream;
}

export interface ClientReaderOptions {
  /** Deadline of each range request (etcdctl's --command-timeout). */
  timeoutMs?: number;
  /** Serializable reads (from the member's local state, no quorum round). */
  serializable?: boolean;
  progress?: ProgressGateOptions;
}

export function clientKvReader(client: LensClient, o: ClientReaderOptions = {}): KvReader {
  return {
    range: (key, rangeEnd, opts) => range(client, o, key, rangeEnd, opts),
    watch: (key, rangeEnd, opts) => watch(client, o, key, rangeEnd, opts),
  };
}

async function range(
  client: LensClient,
  o: ClientReaderOptions,
  key: Buffer,
  rangeEnd: Buffer | undefined,
  opts: RangeOptions = {},
): Promise<RangeResult> {
  const options: GetOptions = {};
  if (rangeEnd !== undefined) options.rangeEnd = rangeEnd;
  if (opts.revision) options.revision = opts.revision;
  if (opts.limit) options.limit = opts.limit;
  if (opts.keysOnly) options.keysOnly = true;
  if (o.serializable) options.serializable = true;
  const r = await client.get(key, options, o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {});
  return { kvs: r.kvs.map(toKeyValue), more: r.more, revision: r.header?.revision ?? 0 };
}

function toKeyValue(kv: WireKeyValue): KeyValue {
  return {
    key: kv.key,
    value: kv.value,
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
  };
}

async function* watch(
  client: LensClient,
  o: ClientReaderOptions,
  key: Buffer,
  rangeEnd: Buffer | undefined,
  opts: WatchOptions = {},
): AsyncGenerator<WatchEvent> {
  if (opts.signal?.aborted) return;
  const options: ClientWatchOptions = { createdNotify: true };
  if (rangeEnd !== undefined) options.rangeEnd = rangeEnd;
  if (opts.startRevision) options.startRevision = opts.startRevision;
  if (opts.prevKv) options.prevKv = true;
  const w = client.watch(key, options);
  const gate = new ProgressGate(o.progress ?? DEFAULT_PROGRESS_GATE);
  const poll = setInterval(
    () => {
      const now = Date.now();
      if (!gate.shouldRequest(now)) return;
      gate.requested(now);
      w.requestProgress();
    },
    Math.max(10, Math.floor((o.progress ?? DEFAULT_PROGRESS_GATE).idleMs / 2)),
  );
  const stop = () => w.cancel();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const r of w) {
      if (r.created) {
        gate.created(Date.now());
        continue;
      }
      if (r.canceled) throw cancelError(r);
      if (isProgressNotify(r)) {
        const revision = gate.answered(r.header?.revision ?? 0);
        if (revision !== undefined) yield { type: "progress", revision };
        continue;
      }
      gate.activity(Date.now());
      let last = 0;
      for (const e of r.events) {
        if (!e.kv) continue;
        const prevKv = e.prevKv ? toKeyValue(e.prevKv) : undefined;
        const type = e.type === EventType.DELETE ? "delete" : "put";
        last = e.kv.modRevision;
        yield { type, kv: toKeyValue(e.kv), ...(prevKv ? { prevKv } : {}) };
      }
      // etcd never splits one revision's events across responses, so this response
      // completes its last revision: free, exact progress.
      if (last > 0) yield { type: "progress", revision: last };
    }
  } finally {
    clearInterval(poll);
    opts.signal?.removeEventListener("abort", stop);
    w.cancel();
  }
}

/** Why the server ended a watch, as the lens expects it (clientv3's WatchResponse.Err()). */
function cancelError(r: WatchResponse): Error {
  if (r.compactRevision !== 0) return new CompactedError(r.compactRevision);
  return new Error(r.cancelReason || FUTURE_REVISION_MESSAGE);
}
