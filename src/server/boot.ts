// Opening a member's data dir: a brand-new member bootstraps its cluster (a WAL whose
// metadata names the member and cluster, and Raft's initial conf changes); a restarting
// member loads its newest snapshot, replays its WAL into Raft's storage and resumes
// applying right after the index its backend recorded.

import { randomInt } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { etcdserverpb, idToLong, toId } from "../proto/index.js";
import { type Entry, MemoryStorage, type Peer, RawNode, type Snapshot } from "../raft/index.js";
import { type Backend, openLmdbBackend } from "../storage/index.js";
import {
  repairWal,
  SnapNoSnapshotError,
  Snapshotter,
  validSnapshotEntries,
  Wal,
  type WalContents,
  WalUnexpectedEofError,
} from "../wal/index.js";
import { dataDirLayout } from "./data-dir.js";
import { computeClusterId, computeMemberId, formatId } from "./ids.js";
import type { ServerOptions } from "./options.js";

export interface Booted {
  readonly backend: Backend;
  readonly wal: Wal;
  readonly snapshotter: Snapshotter;
  readonly storage: MemoryStorage;
  readonly node: RawNode;
  readonly memberId: bigint;
  readonly clusterId: bigint;
  /** The index of the newest snapshot (0 = none). */
  readonly snapshotIndex: number;
  /** The first boot of this member: nothing was on disk. */
  readonly fresh: boolean;
  /** The commit index the WAL recorded: replay is complete once applied reaches it. */
  readonly commitAtBoot: number;
}

const META_BUCKET = "meta";
const CONSISTENT_INDEX_KEY = Buffer.from("consistent_index");

export function readConsistentIndex(backend: Backend): number {
  const value = backend.read((tx) => tx.get(META_BUCKET, CONSISTENT_INDEX_KEY));
  return value === undefined ? 0 : Number(value.readBigUInt64BE(0));
}

export function consistentIndexBytes(index: number): Buffer {
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt(index));
  return value;
}

export { CONSISTENT_INDEX_KEY, META_BUCKET };

function raftConfig(opts: ServerOptions, id: bigint, storage: MemoryStorage, applied: number) {
  return {
    id,
    electionTick: Math.max(2, Math.round(opts.electionMs / opts.heartbeatMs)),
    heartbeatTick: 1,
    storage,
    applied,
    maxSizePerMsg: 1024 * 1024,
    maxInflightMsgs: 512,
    maxUncommittedEntriesSize: 1 << 30,
    checkQuorum: true,
    preVote: true,
    random: (n: number) => randomInt(n),
  };
}

/** A member as etcd writes it into a ConfChange's context. */
function memberContext(id: bigint, peerUrls: readonly string[]): Uint8Array {
  return Buffer.from(`{"id":${id.toString()},"peerURLs":${JSON.stringify(peerUrls)}}`);
}

export async function boot(opts: ServerOptions): Promise<Booted> {
  const layout = dataDirLayout(opts.dataDir, opts.walDir);
  await mkdir(layout.snapDir, { recursive: true });
  await mkdir(dirname(layout.backendPath), { recursive: true });
  const backend = openLmdbBackend(layout.backendPath, {
    ...(opts.backendBatchIntervalMs ? { commitIntervalMs: opts.backendBatchIntervalMs } : {}),
    ...(opts.backendBatchLimit ? { commitMaxWrites: opts.backendBatchLimit } : {}),
  });
  const snapshotter = new Snapshotter(layout.snapDir);
  try {
    if (!(await Wal.exists(layout.walDir))) return await bootNew(opts, backend, snapshotter, layout.walDir);
    return await restart(opts, backend, snapshotter, layout.walDir);
  } catch (e) {
    await backend.close();
    throw e;
  }
}

async function bootNew(
  opts: ServerOptions,
  backend: Backend,
  snapshotter: Snapshotter,
  walDir: string,
): Promise<Booted> {
  if (opts.initialClusterState === "existing") {
    throw new Error("joining an existing cluster (--initial-cluster-state=existing) comes with clustering");
  }
  if (opts.initialCluster.size > 1) {
    // Without a transport the members could never elect a leader: fail now, plainly,
    // rather than start and wait forever.
    throw new Error(
      `--initial-cluster names ${opts.initialCluster.size} members, but tetcd cannot talk to peers yet ` +
        "(clustering over Raft is the next step of the roadmap); start a single member",
    );
  }
  const own = opts.initialCluster.get(opts.name);
  if (own === undefined) {
    throw new Error(`couldn't find local name "${opts.name}" in the initial cluster configuration`);
  }
  const peers = [...opts.initialCluster].map(([, urls]) => ({
    id: computeMemberId(urls, opts.initialClusterToken),
    urls,
  }));
  const memberId = computeMemberId(own, opts.initialClusterToken);
  const clusterId = computeClusterId(peers.map((p) => p.id));
  const metadata = etcdserverpb.Metadata.encode({
    NodeID: idToLong(memberId),
    ClusterID: idToLong(clusterId),
  }).finish();
  await mkdir(dirname(walDir), { recursive: true });
  const wal = await Wal.create(walDir, metadata, { unsafeNoFsync: opts.unsafeNoFsync });
  const storage = new MemoryStorage();
  const node = new RawNode(raftConfig(opts, memberId, storage, 0));
  const raftPeers: Peer[] = peers.map((p) => ({ id: p.id, context: memberContext(p.id, p.urls) }));
  node.bootstrap(raftPeers);
  opts.logger.info("starting local member", {
    "local-member-id": formatId(memberId),
    "cluster-id": formatId(clusterId),
  });
  return {
    backend,
    wal,
    snapshotter,
    storage,
    node,
    memberId,
    clusterId,
    snapshotIndex: 0,
    fresh: true,
    commitAtBoot: raftPeers.length,
  };
}

async function readWal(
  walDir: string,
  snapshot: Snapshot | undefined,
  opts: ServerOptions,
): Promise<{ wal: Wal; contents: WalContents }> {
  const at = { index: snapshot?.metadata.index ?? 0, term: snapshot?.metadata.term ?? 0 };
  for (let attempt = 0; ; attempt++) {
    const wal = await Wal.open(walDir, at, { unsafeNoFsync: opts.unsafeNoFsync });
    try {
      return { wal, contents: await wal.readAll() };
    } catch (e) {
      await wal.close();
      // A crash mid-write leaves a torn last record: drop it, as etcd's repair does.
      if (!(e instanceof WalUnexpectedEofError) || attempt > 0) throw e;
      opts.logger.warn("repairing the WAL's torn tail", { "wal-dir": walDir });
      await repairWal(walDir);
    }
  }
}

async function restart(
  opts: ServerOptions,
  backend: Backend,
  snapshotter: Snapshotter,
  walDir: string,
): Promise<Booted> {
  let snapshot: Snapshot | undefined;
  try {
    const raw = await snapshotter.loadNewestAvailable(await validSnapshotEntries(walDir));
    snapshot = {
      data: raw.data,
      metadata: {
        index: raw.metadata.index,
        term: raw.metadata.term,
        confState: {
          voters: [...raw.metadata.confState.voters],
          learners: [...raw.metadata.confState.learners],
          votersOutgoing: [...raw.metadata.confState.votersOutgoing],
          learnersNext: [...raw.metadata.confState.learnersNext],
          autoLeave: raw.metadata.confState.autoLeave,
        },
      },
    };
  } catch (e) {
    if (!(e instanceof SnapNoSnapshotError)) throw e;
  }
  const { wal, contents } = await readWal(walDir, snapshot, opts);
  const meta = etcdserverpb.Metadata.decode(contents.metadata);
  const memberId = toId(meta.NodeID);
  const clusterId = toId(meta.ClusterID);
  const storage = new MemoryStorage();
  if (snapshot) storage.applySnapshot(snapshot);
  storage.setHardState({ ...contents.hardState });
  storage.append(
    contents.entries.map((e): Entry => ({ term: e.term, index: e.index, type: e.type, data: e.data })),
  );
  const applied = readConsistentIndex(backend);
  const snapshotIndex = snapshot?.metadata.index ?? 0;
  if (applied < snapshotIndex) {
    // The backend is made durable before every snapshot, so this means lost data.
    throw new Error(
      `the backend's applied index ${applied} is behind the snapshot at ${snapshotIndex}: the data dir is damaged`,
    );
  }
  // Raft replays every committed entry after the snapshot, as etcd's restart does: the
  // server skips the ones its backend already holds but still applies conf changes to
  // Raft, which is how Raft relearns its configuration.
  const node = new RawNode(raftConfig(opts, memberId, storage, snapshotIndex));
  opts.logger.info("restarting local member", {
    "local-member-id": formatId(memberId),
    "cluster-id": formatId(clusterId),
    "commit-index": contents.hardState.commit,
    "applied-index": applied,
  });
  return {
    backend,
    wal,
    snapshotter,
    storage,
    node,
    memberId,
    clusterId,
    snapshotIndex,
    fresh: false,
    commitAtBoot: contents.hardState.commit,
  };
}
