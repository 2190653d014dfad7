// The lens commands as library functions over a KvReader: ls (what is stored, paged),
// get (one object decoded), history (every retained version of a key with diffs, and
// where compaction cut it), changes (what was created/updated/deleted after a revision,
// then live).
import type { DecodedValue } from "./decode.js";
import { decodeValue, withoutResourceVersion } from "./decode.js";
import type { ObjectDiff } from "./diff.js";
import { diffObjects } from "./diff.js";
import type { Decryptor } from "./encryption.js";
import { parseEncryptedPrefix } from "./encryption.js";
import { hasProtobufMagic, parseEnvelope } from "./envelope.js";
import type { KeyValue, KvReader, WatchEvent } from "./reader.js";
import { CompactedError, isCompactedError, prefixEnd } from "./reader.js";
import type { ParsedKey } from "./registry.js";
import {
  DEFAULT_REGISTRY_PREFIX,
  objectKey,
  parseKey,
  resolveResource,
  resourceName,
  storagePrefix,
} from "./registry.js";

export interface LensOptions {
  /** The apiserver's --etcd-prefix (default "/registry"). */
  registry?: string;
  /** Keys for values encrypted at rest. */
  decryptor?: Decryptor;
}

/** Thrown by get() for an object that is not stored (kubectl's NotFound wording). */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(
    readonly resource: string,
    readonly objectName: string,
  ) {
    super(`${resource} "${objectName}" not found`);
  }
}

// ---------------------------------------------------------------------------- ls

export interface LsRow {
  key: string;
  /** "pods", "deployments.apps", or the key's own first segment for unknown keys. */
  resource: string;
  namespace: string;
  name: string;
  apiVersion: string;
  kind: string;
  format: "protobuf" | "json" | "yaml" | "encrypted" | "other";
  /** Bytes of the stored value. */
  size: number;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface LsProgress {
  /** Keys seen so far. */
  keys: number;
  /** Value bytes seen so far. */
  bytes: number;
  /** The revision the listing reads at (fixed for all pages). */
  revision: number;
  lastKey: string;
}

export interface LsOptions extends LensOptions {
  /** A resource as kubectl names it ("pods", "deploy", "crontabs.stable.example.com"); all when absent. */
  resource?: string;
  namespace?: string;
  /** Keys per range request (bounds memory). Default 500. */
  pageSize?: number;
  /** Read as of this revision (default: the latest, fixed at the first page). */
  revision?: number;
  onProgress?: (p: LsProgress) => void;
}

/** The objects under the registry (or one resource/namespace), one page at a time. */
export async function* ls(reader: KvReader, opts: LsOptions = {}): AsyncGenerator<LsRow> {
  const registry = opts.registry ?? DEFAULT_REGISTRY_PREFIX;
  let prefix: string;
  if (opts.resource)
    prefix = storagePrefix(resolveResource(opts.resource), opts.namespace || undefined, registry);
  else prefix = `${registry}/`;
  // Without a resource, a namespace filters the whole registry (keys are resource-first).
  const inNamespace = !opts.resource && opts.namespace ? opts.namespace : undefined;
  const pageSize = opts.pageSize ?? 500;
  const end = prefixEnd(Buffer.from(prefix));
  let start = Buffer.from(prefix);
  let revision = opts.revision ?? 0;
  const progress: LsProgress = { keys: 0, bytes: 0, revision, lastKey: "" };
  for (;;) {
    const page = await reader.range(start, end, { limit: pageSize, ...(revision ? { revision } : {}) });
    if (!revision) revision = page.revision;
    progress.revision = revision;
    for (const kv of page.kvs) {
      const row = lsRow(kv, registry);
      progress.keys++;
      progress.bytes += kv.value.length;
      progress.lastKey = row.key;
      if (inNamespace === undefined || row.namespace === inNamespace) yield row;
    }
    opts.onProgress?.({ ...progress });
    const last = page.kvs[page.kvs.length - 1];
    if (!page.more || !last) return;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

function lsRow(kv: KeyValue, registry: string): LsRow {
  const key = kv.key.toString("utf8");
  const parsed = parseKey(key, registry);
  const { apiVersion, kind, format } = peekType(kv.value);
  return {
    key,
    resource: parsed ? resourceName(parsed.resource) : (key.slice(registry.length + 1).split("/")[0] ?? ""),
    namespace: parsed?.namespace ?? "",
    name: parsed?.name ?? key,
    apiVersion,
    kind: kind || parsed?.resource.kind || "",
    format,
    size: kv.value.length,
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
  };
}

/** apiVersion and kind without decoding the object (the envelope, or JSON's own fields). */
function peekType(value: Buffer): { apiVersion: string; kind: string; format: LsRow["format"] } {
  if (hasProtobufMagic(value)) {
    try {
      const env = parseEnvelope(value);
      return { apiVersion: env.apiVersion, kind: env.kind, format: "protobuf" };
    } catch {
      return { apiVersion: "", kind: "", format: "other" };
    }
  }
  if (parseEncryptedPrefix(value)) return { apiVersion: "", kind: "", format: "encrypted" };
  if (value[0] === 0x7b) {
    try {
      const obj = JSON.parse(value.toString("utf8")) as { apiVersion?: unknown; kind?: unknown };
      return { apiVersion: String(obj.apiVersion ?? ""), kind: String(obj.kind ?? ""), format: "json" };
    } catch {
      return { apiVersion: "", kind: "", format: "other" };
    }
  }
  return { apiVersion: "", kind: "", format: "other" };
}

export interface CountOptions extends LensOptions {
  /** Only this resource (as kubectl names it). */
  resource?: string;
  namespace?: string;
  /** Keys per range request. Default 1000. */
  pageSize?: number;
  /** Read as of this revision (default: the latest, fixed at the first page). */
  revision?: number;
  /** After each page (bytes stay 0: values are not read). */
  onProgress?: (p: LsProgress) => void;
}

/** Objects per resource (keys only: cheap even for a large cluster), paged. */
export async function countByResource(
  reader: KvReader,
  opts: CountOptions = {},
): Promise<Map<string, number>> {
  const registry = opts.registry ?? DEFAULT_REGISTRY_PREFIX;
  const prefix = Buffer.from(
    opts.resource
      ? storagePrefix(resolveResource(opts.resource), opts.namespace || undefined, registry)
      : `${registry}/`,
  );
  const end = prefixEnd(prefix);
  const counts = new Map<string, number>();
  let start = prefix;
  let revision = opts.revision ?? 0;
  const progress: LsProgress = { keys: 0, bytes: 0, revision, lastKey: "" };
  for (;;) {
    const page = await reader.range(start, end, {
      limit: opts.pageSize ?? 1000,
      keysOnly: true,
      ...(revision ? { revision } : {}),
    });
    if (!revision) revision = page.revision;
    progress.revision = revision;
    for (const kv of page.kvs) {
      const parsed = parseKey(kv.key, registry);
      progress.keys++;
      if (opts.namespace && parsed?.namespace !== opts.namespace) continue;
      const name = parsed ? resourceName(parsed.resource) : "(other)";
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const last = page.kvs[page.kvs.length - 1];
    if (last) progress.lastKey = last.key.toString("utf8");
    opts.onProgress?.({ ...progress });
    if (!page.more || !last) return counts;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

// ---------------------------------------------------------------------------- get

export interface StoredObject {
  key: string;
  parsed: ParsedKey | undefined;
  createRevision: number;
  modRevision: number;
  version: number;
  size: number;
  decoded: DecodedValue;
}

/**
 * One object: `get(reader, "po", "default/web-1")`, or `get(reader, "nodes", "node-a")`.
 * A namespaced resource without a namespace means "default", as kubectl does.
 */
export async function get(
  reader: KvReader,
  resource: string,
  name: string,
  opts: LensOptions & { revision?: number } = {},
): Promise<StoredObject> {
  const info = resolveResource(resource);
  const slash = name.indexOf("/");
  let namespace = slash >= 0 ? name.slice(0, slash) : undefined;
  const objectName = slash >= 0 ? name.slice(slash + 1) : name;
  if (info.namespaced && !namespace) namespace = "default";
  const key = objectKey(info, namespace, objectName, opts.registry);
  const found = await getKey(reader, key, opts);
  if (!found) throw new NotFoundError(resourceName(info), objectName);
  return found;
}

/** The object at one etcd key, decoded; undefined when the key does not exist. */
export async function getKey(
  reader: KvReader,
  key: string,
  opts: LensOptions & { revision?: number } = {},
): Promise<StoredObject | undefined> {
  const res = await reader.range(
    Buffer.from(key),
    undefined,
    opts.revision ? { revision: opts.revision } : {},
  );
  const kv = res.kvs[0];
  return kv ? stored(kv, opts) : undefined;
}

function stored(kv: KeyValue, opts: LensOptions): StoredObject {
  const key = kv.key.toString("utf8");
  return {
    key,
    parsed: parseKey(key, opts.registry),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    size: kv.value.length,
    decoded: decode(kv, opts),
  };
}

function decode(kv: KeyValue, opts: LensOptions): DecodedValue {
  return decodeValue(kv.value, {
    key: kv.key,
    modRevision: kv.modRevision,
    ...(opts.decryptor ? { decryptor: opts.decryptor } : {}),
  });
}

/** What changed in the stored object (resourceVersion is the revision, not stored data). */
function diffStored(before: DecodedValue | undefined, after: DecodedValue | undefined): ObjectDiff {
  const strip = (d: DecodedValue | undefined) => (d?.object ? withoutResourceVersion(d.object) : undefined);
  return diffObjects(strip(before), strip(after));
}

// ---------------------------------------------------------------------------- compaction

/**
 * The oldest revision still readable (etcd's compaction point, or 1), by binary search
 * over cheap keys-only reads of `key`.
 */
export async function oldestReadableRevision(reader: KvReader, key: Buffer, head: number): Promise<number> {
  const readable = async (rev: number) => {
    try {
      await reader.range(key, undefined, { revision: rev, limit: 1, keysOnly: true });
      return true;
    } catch (err) {
      if (isCompactedError(err)) return false;
      throw err;
    }
  };
  if (await readable(1)) return 1;
  let lo = 2;
  let hi = head;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await readable(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------- history

export interface Version {
  /** The revision of this change. */
  modRevision: number;
  /** The object's version counter (1 = created); 0 for a deletion. */
  version: number;
  createRevision: number;
  type: "put" | "delete";
  size: number;
  /** The decoded object (undefined for a deletion). */
  decoded?: DecodedValue;
  /** From the previous retained version (or from nothing, for the first one shown). */
  diff: ObjectDiff;
}

export interface History {
  key: string;
  /** The store's revision when history was read. */
  revision: number;
  /** The oldest revision still readable (1 when nothing was compacted). */
  oldestRevision: number;
  /** Versions in revision order, oldest first. */
  versions: Version[];
  /** Plain statements of what compaction removed (empty when nothing is missing). */
  notes: string[];
}

/**
 * Every retained version of one key, oldest first, each with a diff from the one before,
 * and a plain statement of how far back history is readable. A key deleted by now needs
 * the reader's watch to report progress (see WatchEvent) to know its history is complete.
 */
export async function history(
  reader: KvReader,
  key: string,
  opts: LensOptions & { signal?: AbortSignal } = {},
): Promise<History> {
  const k = Buffer.from(key);
  const head = await reader.range(k, undefined);
  const H = head.revision;
  const current = head.kvs[0];
  const oldest = await oldestReadableRevision(reader, k, H);
  const notes: string[] = [];
  const versions: Version[] = [];
  let previous: DecodedValue | undefined;
  const push = (type: "put" | "delete", kv: KeyValue) => {
    const decoded = type === "put" ? decode(kv, opts) : undefined;
    versions.push({
      modRevision: kv.modRevision,
      version: type === "put" ? kv.version : 0,
      createRevision: type === "put" ? kv.createRevision : 0,
      type,
      size: kv.value.length,
      ...(decoded ? { decoded } : {}),
      diff: diffStored(previous, decoded),
    });
    previous = decoded;
  };

  const base = (await reader.range(k, undefined, { revision: oldest })).kvs[0];
  if (base) {
    push("put", base);
    if (oldest > 1 && base.version > 1) {
      notes.push(
        `history before revision ${oldest} was compacted: the oldest readable version is version ${base.version} ` +
          `(revision ${base.modRevision}); versions 1 to ${base.version - 1} since its creation at revision ` +
          `${base.createRevision} are gone`,
      );
    } else if (oldest > 1 && base.createRevision < oldest) {
      notes.push(
        `history before revision ${oldest} was compacted; this object's first version (revision ${base.createRevision}) is still readable`,
      );
    }
  } else if (oldest > 1) {
    notes.push(
      `history before revision ${oldest} was compacted: anything stored under this key before then is gone`,
    );
  }

  const target = current?.modRevision;
  if (target === undefined || target > oldest) {
    const ac = new AbortController();
    const stop = () => ac.abort();
    opts.signal?.addEventListener("abort", stop, { once: true });
    try {
      for await (const e of reader.watch(k, undefined, { startRevision: oldest + 1, signal: ac.signal })) {
        if (e.type === "progress") {
          if (target === undefined && e.revision >= H) break;
          continue;
        }
        if (e.kv.modRevision > H) break;
        push(e.type, e.kv);
        if (target !== undefined && e.kv.modRevision >= target) break;
      }
    } catch (err) {
      if (isCompactedError(err)) {
        throw new CompactedError((err as { compactRevision?: number }).compactRevision);
      }
      throw err;
    } finally {
      ac.abort();
      opts.signal?.removeEventListener("abort", stop);
    }
  }
  return { key, revision: H, oldestRevision: oldest, versions, notes };
}

// ---------------------------------------------------------------------------- changes

export type Change =
  | {
      type: "created" | "updated" | "deleted";
      key: string;
      parsed: ParsedKey | undefined;
      /** The revision of the change; for net changes found by comparing snapshots, the
       * object's mod_revision (created/updated) or undefined (deleted: the exact revision
       * of a deletion is not kept by etcd). */
      modRevision: number | undefined;
      before?: DecodedValue;
      after?: DecodedValue;
      diff: ObjectDiff;
      /** True once the changes are live events from the watch. */
      live: boolean;
    }
  | {
      /** Every change up to `revision` was reported; what follows (if following) is live. */
      type: "synced";
      revision: number;
    };

export interface ChangesOptions extends LensOptions {
  /** Changes after this revision. */
  since: number;
  /** A key prefix (default: the whole registry). */
  prefix?: string;
  /** Keep watching after the changes so far. */
  follow?: boolean;
  /**
   * Every change event after `since`, in revision order, each with its diff from the value
   * before it (replayed by a watch), instead of the net change per key between the two
   * snapshots: a key created and deleted in between shows both. Needs the events to be
   * retained (not compacted); costs one event per write in the window.
   */
  replay?: boolean;
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * What was created, updated or deleted after `since` (net, per key, compared between the
 * snapshot at `since` and now, paged), then a "synced" marker, then with `follow` every
 * change as it happens. Throws CompactedError naming the oldest readable revision when
 * `since` is compacted.
 */
export async function* changes(reader: KvReader, opts: ChangesOptions): AsyncGenerator<Change> {
  const prefix = Buffer.from(opts.prefix ?? `${opts.registry ?? DEFAULT_REGISTRY_PREFIX}/`);
  const end = prefixEnd(prefix);
  const pageSize = opts.pageSize ?? 500;
  const headRevision = (await reader.range(prefix, end, { limit: 1, keysOnly: true })).revision;
  if (opts.since > headRevision)
    throw new Error(`revision ${opts.since} is in the future (now ${headRevision})`);
  if (opts.replay) {
    yield* replayChanges(reader, prefix, end, headRevision, opts);
    return;
  }
  const before = pages(reader, prefix, end, opts.since, pageSize);
  const after = pages(reader, prefix, end, headRevision, pageSize);
  let a = await before.next().catch(async (err: unknown) => {
    if (!isCompactedError(err)) throw err;
    const oldest = await oldestReadableRevision(reader, prefix, headRevision);
    const e = new CompactedError(oldest);
    e.message = `${e.message}: revision ${opts.since} is gone, the oldest readable revision is ${oldest}`;
    throw e;
  });
  let b = await after.next();
  while (!a.done || !b.done) {
    const ka = a.done ? undefined : a.value;
    const kb = b.done ? undefined : b.value;
    const cmp = ka && kb ? Buffer.compare(ka.key, kb.key) : ka ? -1 : 1;
    if (cmp < 0 && ka) {
      yield change("deleted", ka.key, ka, undefined, undefined, opts, false);
      a = await before.next();
    } else if (cmp > 0 && kb) {
      yield change(
        kb.createRevision > opts.since ? "created" : "updated",
        kb.key,
        undefined,
        kb,
        kb.modRevision,
        opts,
        false,
      );
      b = await after.next();
    } else if (ka && kb) {
      if (ka.modRevision !== kb.modRevision) {
        // Deleted and created again in between shows as created (new create_revision).
        const type = kb.createRevision > opts.since ? "created" : "updated";
        yield change(type, kb.key, ka, kb, kb.modRevision, opts, false);
      }
      a = await before.next();
      b = await after.next();
    }
  }
  yield { type: "synced", revision: headRevision };
  if (!opts.follow) return;
  const watchOpts = {
    startRevision: headRevision + 1,
    prevKv: true,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  for await (const e of reader.watch(prefix, end, watchOpts)) {
    const c = liveChange(e, opts);
    if (c) yield c;
  }
}

/** changes() with `replay`: the watch's events from `since` on, a "synced" marker at the head. */
async function* replayChanges(
  reader: KvReader,
  prefix: Buffer,
  end: Buffer,
  head: number,
  opts: ChangesOptions,
): AsyncGenerator<Change> {
  let synced = opts.since >= head;
  if (synced) {
    yield { type: "synced", revision: head };
    if (!opts.follow) return;
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    const events = reader.watch(prefix, end, {
      startRevision: opts.since + 1,
      prevKv: true,
      signal: ac.signal,
    });
    for await (const e of events) {
      const revision = e.type === "progress" ? e.revision : e.kv.modRevision;
      if (!synced && (e.type === "progress" ? revision >= head : revision > head)) {
        synced = true;
        yield { type: "synced", revision: head };
        if (!opts.follow) return;
      }
      const c = liveChange(e, opts);
      if (c && c.type !== "synced") yield { ...c, live: synced };
    }
  } catch (err) {
    if (!isCompactedError(err)) throw err;
    const oldest = (err as { compactRevision?: number }).compactRevision;
    const e = new CompactedError(oldest);
    e.message =
      oldest === undefined
        ? `${e.message}: the changes after revision ${opts.since} are gone`
        : `${e.message}: the changes after revision ${opts.since} are gone, the oldest readable revision is ${oldest}`;
    throw e;
  } finally {
    ac.abort();
    opts.signal?.removeEventListener("abort", stop);
  }
}

async function* pages(reader: KvReader, start: Buffer, end: Buffer, revision: number, pageSize: number) {
  let from = start;
  for (;;) {
    const page = await reader.range(from, end, { revision, limit: pageSize });
    yield* page.kvs;
    const last = page.kvs[page.kvs.length - 1];
    if (!page.more || !last) return;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

function change(
  type: "created" | "updated" | "deleted",
  key: Buffer,
  before: KeyValue | undefined,
  after: KeyValue | undefined,
  modRevision: number | undefined,
  opts: LensOptions,
  live: boolean,
): Change {
  const text = key.toString("utf8");
  const b = before ? decode(before, opts) : undefined;
  const a = after ? decode(after, opts) : undefined;
  return {
    type,
    key: text,
    parsed: parseKey(text, opts.registry),
    modRevision,
    ...(b ? { before: b } : {}),
    ...(a ? { after: a } : {}),
    diff: diffStored(b, a),
    live,
  };
}

function liveChange(e: WatchEvent, opts: LensOptions): Change | undefined {
  if (e.type === "progress") return undefined;
  if (e.type === "delete")
    return change("deleted", e.kv.key, e.prevKv, undefined, e.kv.modRevision, opts, true);
  // Without prev_kv a version above 1 is still an update; its old value is not known.
  return change(
    e.kv.version === 1 ? "created" : "updated",
    e.kv.key,
    e.prevKv,
    e.kv,
    e.kv.modRevision,
    opts,
    true,
  );
}
