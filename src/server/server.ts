// One etcd member: Raft, the WAL, the applied state (MVCC, leases, alarms, membership)
// and the requests clients make of them. The API layer calls the public methods; every
// write becomes a Raft proposal that resolves once applied; linearizable reads wait for
// a ReadIndex round; serializable reads go straight to the store.

import assert from "node:assert/strict";
import { ErrLeaseNotFound, Lessor } from "../lease/index.js";
import { logCapabilities, logPublished } from "../log/index.js";
import { leaseMetrics, mvccMetrics, serverMetrics, setClusterVersion } from "../metrics/index.js";
import { MvccStore, type WatchConsumer, type WatchStream } from "../mvcc/index.js";
import { etcdserverpb, idToLong, leasepb, toId, toNumber, toSignedId } from "../proto/index.js";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  confChangeOfEntry,
  type Entry,
  EntryType,
  isConfChangeV2,
  type SoftState,
  StateType,
} from "../raft/index.js";
import type { Backend } from "../storage/index.js";
import { AlarmStore, AlarmType } from "./alarms.js";
import { Applier, type ApplyOutcome } from "./applier.js";
import {
  type Booted,
  boot,
  CONSISTENT_INDEX_KEY,
  consistentIndexBytes,
  META_BUCKET,
  readConsistentIndex,
} from "./boot.js";
import { Compactor } from "./compactor.js";
import { ServerError } from "./errors.js";
import { computeMemberId, formatId, IdGenerator } from "./ids.js";
import * as kv from "./kv/ops.js";
import { clusterVersionOf, type Member, Membership, parseConfChangeContext } from "./membership.js";
import { DEFAULT_QUOTA_BYTES, type Logger, type ServerOptions } from "./options.js";
import { Quota } from "./quota.js";
import { RaftDriver } from "./raft-driver.js";
import { ReadIndexer } from "./read-index.js";
import { Waiters } from "./waiters.js";

type InternalRaftRequest = etcdserverpb.IInternalRaftRequest;

/** What a request handler needs besides its response: the term it was served in. */
export interface ResponseHeader {
  clusterId: bigint;
  memberId: bigint;
  revision: number;
  raftTerm: number;
}

export interface ServerStatus {
  readonly version: string;
  readonly dbSizeBytes: number;
  readonly dbSizeInUseBytes: number;
  readonly leader: bigint;
  readonly raftIndex: number;
  readonly raftTerm: number;
  readonly raftAppliedIndex: number;
  readonly errors: string[];
  readonly isLearner: boolean;
}

const LEASE_EXPIRY_CHECK_MS = 500;
const MAX_REVOKES_PER_CHECK = 500;
const WAITER_SWEEP_MS = 250;
/** Entries kept in memory behind a snapshot for slow followers (etcd's snapshotCatchUpEntries). */
const SNAPSHOT_CATCH_UP_ENTRIES = 5000;

export class EtcdServer {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  readonly mvcc: MvccStore;
  readonly lessor: Lessor;
  readonly alarms = new AlarmStore();
  readonly membership: Membership;
  private readonly logger: Logger;
  private readonly backend: Backend;
  private readonly driver: RaftDriver;
  private readonly applier: Applier;
  private readonly readIndexer: ReadIndexer;
  private readonly waiters = new Waiters<ApplyOutcome>();
  private readonly deadlines = new Map<bigint, number>();
  private readonly proposed = new WeakMap<Uint8Array, { id: bigint; request: InternalRaftRequest }>();
  private readonly ids: IdGenerator;
  private readonly quota: Quota;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly requestTimeoutMs: number;
  private leader = 0n;
  /** The Raft configuration as of the applied index (snapshots record it). */
  private confState: ConfState;
  private term = 0;
  private applied = 0;
  private snapshotIndex: number;
  private snapshotting = false;
  private stopped = false;
  private readonly readyPromise: Promise<void>;
  private markReady: () => void = () => {};
  private readonly stoppedPromise: Promise<Error | undefined>;
  private markStopped: (error?: Error) => void = () => {};
  private publishedVersion = false;

  private readonly wal: Booted["wal"];
  private readonly snapshotter: Booted["snapshotter"];
  private readonly storage: Booted["storage"];
  private readonly node: Booted["node"];
  /** This boot created the member (nothing was on disk). */
  private readonly fresh: boolean;
  private readonly commitAtBoot: number;

  private constructor(
    private readonly opts: ServerOptions,
    booted: Booted,
  ) {
    this.logger = opts.logger;
    this.memberId = booted.memberId;
    this.clusterId = booted.clusterId;
    this.backend = booted.backend;
    this.snapshotIndex = booted.snapshotIndex;
    this.requestTimeoutMs = 5000 + 2 * opts.electionMs;
    this.ids = new IdGenerator(this.memberId, Date.now());
    this.lessor = new Lessor({
      minTtlSeconds: Math.ceil(
        (Math.floor((3 * Math.round(opts.electionMs / opts.heartbeatMs)) / 2) * opts.heartbeatMs) / 1000,
      ),
      now: () => performance.now(),
    });
    this.backend.read((tx) => {
      for (const { value } of tx.scan("lease")) {
        const l = leasepb.Lease.decode(value);
        this.lessor.restore({
          id: toSignedId(l.ID),
          ttlSeconds: toNumber(l.TTL),
          remainingTtlSeconds: toNumber(l.RemainingTTL),
        });
      }
      this.alarms.load(tx);
    });
    this.mvcc = new MvccStore(this.backend, {
      leaseHooks: {
        attach: (lease, key) => {
          if (this.lessor.has(lease)) this.lessor.attach(lease, key);
          else
            this.logger.error("key attached to an unknown lease", {
              lease: formatId(lease),
              key: key.toString(),
            });
        },
        detach: (lease, key) => this.lessor.detach(lease, key),
      },
    });
    this.reportMetrics(opts);
    this.membership = new Membership(this.clusterId, this.memberId);
    this.backend.read((tx) => this.membership.load(tx));
    const recovered = this.membership.clusterVersion;
    if (recovered !== undefined) {
      // As etcd does when it recovers the cluster version from its store at restart.
      this.logger.info("set cluster version from store", { "cluster-version": majorMinor(recovered) });
      setClusterVersion(majorMinor(recovered));
      logCapabilities(this.logger, majorMinor(recovered));
    }
    this.applied = Math.max(readConsistentIndex(this.backend), booted.snapshotIndex);
    this.quota = new Quota(opts.quotaBackendBytes === 0 ? DEFAULT_QUOTA_BYTES : opts.quotaBackendBytes, () =>
      this.backend.sizeBytes(),
    );
    this.applier = new Applier({
      mvcc: this.mvcc,
      lessor: this.lessor,
      alarms: this.alarms,
      membership: this.membership,
      logger: this.logger,
      onClusterVersion: (version) => {
        setClusterVersion(majorMinor(version));
        logCapabilities(this.logger, majorMinor(version));
      },
    });
    this.driver = new RaftDriver(
      booted.node,
      booted.storage,
      booted.wal,
      {
        apply: (entries) => this.applyEntries(entries),
        softStateChanged: (s) => this.onSoftState(s),
        readStates: (states) => {
          for (const s of states) this.readIndexer.onReadState(s.requestCtx, s.index);
        },
        send: () => {
          // A lone member has no one to talk to; the peer transport comes with clustering.
        },
        fatal: (e) => {
          this.logger.error("failed to persist to the WAL; stopping", { error: e.message });
          void this.stop(e);
        },
      },
      opts.heartbeatMs,
    );
    this.wal = booted.wal;
    this.snapshotter = booted.snapshotter;
    this.storage = booted.storage;
    this.node = booted.node;
    this.confState = booted.storage.initialState().confState;
    this.fresh = booted.fresh;
    this.commitAtBoot = booted.commitAtBoot;
    this.readIndexer = new ReadIndexer(
      {
        requestReadIndex: (ctx) => this.driver.readIndex(ctx),
        appliedIndex: () => this.applied,
        now: () => performance.now(),
      },
      this.requestTimeoutMs,
    );
    this.readyPromise = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.stoppedPromise = new Promise((resolve) => {
      this.markStopped = resolve;
    });
  }

  private pendingCampaign = false;
  private compactor: Compactor | undefined;
  private readonly leaderWaiters: Array<() => void> = [];

  /** Opens (or creates) the data dir and starts the member. */
  static async start(opts: ServerOptions): Promise<EtcdServer> {
    const server = new EtcdServer(opts, await boot(opts));
    server.run();
    return server;
  }

  /** Resolves once this member published itself to the cluster and serves requests. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Resolves when the member stopped, with the error that stopped it, if any. */
  get done(): Promise<Error | undefined> {
    return this.stoppedPromise;
  }

  get isLeader(): boolean {
    return this.leader === this.memberId && this.leader !== 0n;
  }

  get leaderId(): bigint {
    return this.leader;
  }

  get raftTerm(): number {
    return this.term;
  }

  get appliedIndex(): number {
    return this.applied;
  }

  get etcdVersion(): string {
    return this.opts.etcdVersion;
  }

  get maxRequestBytes(): number {
    return this.opts.maxRequestBytes;
  }

  get maxTxnOps(): number {
    return this.opts.maxTxnOps;
  }

  header(revision?: number): ResponseHeader {
    return {
      clusterId: this.clusterId,
      memberId: this.memberId,
      revision: revision ?? this.mvcc.currentRevision(),
      raftTerm: this.term,
    };
  }

  /** Gauges read at scrape time, and the key count as it stands at boot. */
  private reportMetrics(opts: ServerOptions): void {
    mvccMetrics.currentRevision.report(() => this.mvcc.currentRevision());
    mvccMetrics.compactRevision.report(() => Math.max(0, this.mvcc.compactRevision()));
    mvccMetrics.dbTotalSizeInBytes.report(() => this.backend.sizeBytes());
    mvccMetrics.dbTotalSizeInUseInBytes.report(() => this.backend.sizeInUseBytes());
    mvccMetrics.keys.set(this.mvcc.range(Buffer.from([0]), Buffer.from([0]), { countOnly: true }).count);
    serverMetrics.quotaBackendBytes.set(
      opts.quotaBackendBytes === 0 ? DEFAULT_QUOTA_BYTES : opts.quotaBackendBytes,
    );
  }

  private run(): void {
    this.driver.start();
    // A lone voter need not wait out an election timeout (etcd fast-forwards its ticks),
    // but Raft campaigns only once the committed conf changes (the bootstrap ones, or
    // those replayed after a restart) are applied.
    const lone = this.fresh
      ? this.opts.initialCluster.size === 1
      : this.confState.voters.length === 1 || this.membership.list().length === 1;
    if (lone && !this.fresh && this.applied >= this.commitAtBoot && this.confState.voters.length === 1) {
      this.driver.campaign();
    } else if (lone) {
      this.pendingCampaign = true;
    }
    this.timers.push(setInterval(() => this.revokeExpiredLeases(), LEASE_EXPIRY_CHECK_MS));
    this.timers.push(setInterval(() => this.expireWaiters(), WAITER_SWEEP_MS));
    if (this.opts.autoCompaction) {
      this.compactor = new Compactor(this.opts.autoCompaction, {
        currentRevision: () => this.mvcc.currentRevision(),
        compact: async (revision) => {
          await this.compact({ revision });
        },
        now: () => performance.now(),
        setTimer: (fn, ms) => {
          const t = setTimeout(fn, ms);
          return () => clearTimeout(t);
        },
        log: (msg, fields) => this.logger.info(msg, fields),
      });
      this.compactor.start();
    }
    void this.publish();
  }

  // ---- proposals -------------------------------------------------------------------

  /** Proposes a request through Raft and resolves with its apply outcome. */
  private async propose(request: InternalRaftRequest): Promise<ApplyOutcome> {
    if (this.stopped) throw new ServerError("stopped");
    const id = this.ids.next();
    request.header = { ID: idToLong(id) };
    const data = etcdserverpb.InternalRaftRequest.encode(request).finish();
    if (data.length > this.opts.maxRequestBytes) throw new ServerError("requestTooLarge");
    const outcome = this.waiters.register(id);
    this.deadlines.set(id, performance.now() + this.requestTimeoutMs);
    this.proposed.set(data, { id, request });
    try {
      this.driver.propose(data);
    } catch (e) {
      serverMetrics.proposalsFailed.inc();
      this.deadlines.delete(id);
      this.waiters.reject(id, e instanceof Error ? e : new Error(String(e)));
    }
    return outcome;
  }

  /** Proposes and returns the response, or throws the error the apply produced. */
  private async request<T>(request: InternalRaftRequest): Promise<T> {
    const outcome = await this.propose(request);
    if (outcome.error) throw outcome.error;
    if (outcome.done) await outcome.done;
    return outcome.response as T;
  }

  private expireWaiters(): void {
    const now = performance.now();
    for (const [id, deadline] of this.deadlines) {
      if (deadline > now) continue;
      this.deadlines.delete(id);
      this.waiters.reject(id, new ServerError("timeout"));
    }
    this.readIndexer.expire();
  }

  // ---- applying --------------------------------------------------------------------

  private applyEntries(entries: Entry[]): void {
    const outcomes: Array<[bigint, ApplyOutcome]> = [];
    const last = entries[entries.length - 1];
    assert.ok(last !== undefined);
    // Entries replayed from the WAL that the backend already holds: Raft still needs
    // their conf changes to know its configuration.
    let first = 0;
    while (first < entries.length && entries[first]!.index <= this.applied) {
      const entry = entries[first++]!;
      if (entry.type !== EntryType.EntryNormal)
        this.confState = this.node.applyConfChange(confChangeOf(entry));
    }
    if (first < entries.length) this.applyNew(entries.slice(first), outcomes);
    for (const [id, outcome] of outcomes) {
      this.deadlines.delete(id);
      this.waiters.resolve(id, outcome);
    }
    this.readIndexer.onApplied(this.applied);
    if (this.pendingCampaign && this.applied >= this.commitAtBoot) {
      this.pendingCampaign = false;
      // After this turn's advance(): Raft counts the conf changes applied only then.
      setImmediate(() => this.driver.campaign());
    }
    if (this.applied - this.snapshotIndex > this.opts.snapshotCount) void this.snapshot();
  }

  private applyNew(entries: Entry[], outcomes: Array<[bigint, ApplyOutcome]>): void {
    const last = entries[entries.length - 1]!;
    this.backend.write((tx) => {
      for (const entry of entries) {
        if (entry.type === EntryType.EntryNormal) {
          if (entry.data.length === 0) continue; // a new leader's empty entry
          const known = this.proposed.get(entry.data);
          const request = known?.request ?? etcdserverpb.InternalRaftRequest.decode(entry.data);
          const id = known?.id ?? requestId(request as etcdserverpb.InternalRaftRequest);
          outcomes.push([id, this.applier.apply(tx, request as etcdserverpb.InternalRaftRequest)]);
        } else {
          outcomes.push(this.applyConfChange(tx, entry));
        }
      }
      tx.put(META_BUCKET, CONSISTENT_INDEX_KEY, consistentIndexBytes(last.index));
    });
    this.applied = last.index;
    serverMetrics.proposalsApplied.set(this.applied);
    serverMetrics.proposalsCommitted.set(this.node.basicStatus().hardState.commit);
    serverMetrics.proposalsPending.set(this.waiters.size);
  }

  /**
   * Applies a membership change as etcd does: validated against the membership first;
   * a refused change is applied to Raft as a no-op and its error goes to the proposer.
   */
  private applyConfChange(
    tx: Parameters<Parameters<Backend["write"]>[0]>[0],
    entry: Entry,
  ): [bigint, ApplyOutcome] {
    const cc = confChangeOf(entry);
    assert.ok(!isConfChangeV2(cc), "etcd 3.4 members never propose ConfChangeV2");
    const single = cc as ConfChange;
    const context = parseConfChangeContext(single.context);
    const kind =
      single.type === ConfChangeType.ConfChangeRemoveNode
        ? "remove"
        : single.type === ConfChangeType.ConfChangeUpdateNode
          ? "update"
          : "add";
    const refused = this.membership.validate(kind, single.nodeId, context);
    if (refused !== undefined) {
      this.confState = this.node.applyConfChange({ ...single, nodeId: 0n });
      return [single.id, { error: new ServerError(refused) }];
    }
    this.confState = this.node.applyConfChange(single);
    if (kind === "remove") {
      this.membership.remove(tx, single.nodeId);
    } else if (kind === "update") {
      this.membership.updatePeerUrls(tx, single.nodeId, context.peerURLs ?? []);
    } else if (context.isPromote) {
      this.membership.promote(tx, single.nodeId);
    } else {
      const member: Member = {
        id: single.nodeId,
        name: "",
        peerUrls: context.peerURLs ?? [],
        clientUrls: [],
        isLearner: single.type === ConfChangeType.ConfChangeAddLearnerNode || context.isLearner === true,
      };
      this.membership.add(tx, member);
      this.logger.info("added member", {
        "cluster-id": formatId(this.clusterId),
        "local-member-id": formatId(this.memberId),
        "added-peer-id": formatId(member.id),
        "added-peer-peer-urls": member.peerUrls,
      });
    }
    return [single.id, { response: {} }];
  }

  // ---- leadership ------------------------------------------------------------------

  private onSoftState(s: SoftState): void {
    const wasLeader = this.isLeader;
    if (s.lead !== this.leader && s.lead !== 0n) serverMetrics.leaderChanges.inc();
    serverMetrics.hasLeader.set(s.lead === 0n ? 0 : 1);
    serverMetrics.isLeader.set(s.raftState === StateType.StateLeader ? 1 : 0);
    if (s.lead !== this.leader) {
      this.logger.info(s.lead === 0n ? "raft.node lost leader" : "raft.node elected leader", {
        "local-member-id": formatId(this.memberId),
        leader: formatId(s.lead),
      });
    }
    this.leader = s.lead;
    this.term = this.node.basicStatus().hardState.term;
    if (s.lead !== 0n) {
      this.readIndexer.resend(); // rounds sent while there was no leader were dropped
      for (const notify of this.leaderWaiters.splice(0)) notify();
    }
    const isLeader = s.raftState === StateType.StateLeader;
    if (isLeader && !wasLeader) {
      this.lessor.promote(this.opts.electionMs);
      void this.ensureClusterVersion();
    } else if (!isLeader && wasLeader) {
      this.lessor.demote();
    }
  }

  /** The first leader of a new cluster sets its version (etcd's monitorVersions). */
  private async ensureClusterVersion(): Promise<void> {
    if (this.membership.clusterVersion !== undefined || this.publishedVersion) return;
    this.publishedVersion = true;
    const version = clusterVersionOf(this.opts.etcdVersion);
    this.logger.info("setting up initial cluster version", {
      "cluster-version": version.replace(/\.0$/, ""),
    });
    try {
      await this.request({ v2: { Method: "PUT", Path: "/0/version", Val: version } });
      this.logger.info("set initial cluster version", {
        "cluster-id": formatId(this.clusterId),
        "local-member-id": formatId(this.memberId),
        "cluster-version": majorMinor(version),
      });
    } catch (e) {
      this.publishedVersion = false;
      this.logger.warn("failed to set the cluster version", { error: (e as Error).message });
    }
  }

  /** Publishes this member's name and client URLs through Raft until it succeeds. */
  private async publish(): Promise<void> {
    const attributes = { name: this.opts.name, clientURLs: this.opts.advertiseClientUrls };
    const path = `/0/members/${formatId(this.memberId)}/attributes`;
    while (!this.stopped) {
      if (this.leader === 0n) await new Promise<void>((resolve) => this.leaderWaiters.push(resolve));
      try {
        await this.request({ v2: { Method: "PUT", Path: path, Val: JSON.stringify(attributes) } });
        logPublished(this.logger, {
          memberId: this.memberId,
          clusterId: this.clusterId,
          name: attributes.name,
          clientUrls: attributes.clientURLs,
          publishTimeout: `${this.requestTimeoutMs / 1000}s`,
        });
        this.markReady();
        return;
      } catch (e) {
        if (this.stopped) return;
        this.logger.warn("failed to publish local member to cluster through raft", {
          error: (e as Error).message,
        });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  // ---- leases ----------------------------------------------------------------------

  private revokeExpiredLeases(): void {
    for (const id of this.lessor.takeExpired(MAX_REVOKES_PER_CHECK)) {
      this.request({ leaseRevoke: { ID: idToLong(id, false) } }).catch((e: Error) => {
        if (!(e instanceof ErrLeaseNotFound))
          this.logger.debug("failed to revoke an expired lease", { error: e.message });
      });
    }
  }

  // ---- snapshots -------------------------------------------------------------------

  /**
   * Bounds the WAL and Raft's in-memory log: makes the backend durable (it holds the
   * state), records a snapshot at the applied index, and lets go of older entries.
   */
  private async snapshot(): Promise<void> {
    if (this.snapshotting || this.stopped) return;
    this.snapshotting = true;
    try {
      const index = this.applied;
      await this.backend.sync();
      const snap = this.storage.createSnapshot(index, this.confState, new Uint8Array(0));
      await this.snapshotter.save(snap);
      await this.wal.saveSnapshot({ index, term: snap.metadata.term });
      const compactTo = index - SNAPSHOT_CATCH_UP_ENTRIES;
      if (compactTo > this.storage.firstIndex()) this.storage.compact(compactTo);
      this.wal.releaseLockTo(index);
      this.snapshotIndex = index;
      this.logger.info("saved snapshot", { "snapshot-index": index });
    } finally {
      this.snapshotting = false;
    }
  }

  // ---- KV --------------------------------------------------------------------------

  async range(r: etcdserverpb.IRangeRequest): Promise<kv.RangeResponse> {
    if (!r.serializable) await this.linearizable();
    return kv.range(this.mvcc, r);
  }

  async put(r: etcdserverpb.IPutRequest): Promise<kv.PutResponse> {
    this.checkQuota(this.quota.costPut(r));
    return this.request({ put: r });
  }

  async deleteRange(r: etcdserverpb.IDeleteRangeRequest): Promise<kv.DeleteRangeResponse> {
    return this.request({ deleteRange: r });
  }

  async txn(r: etcdserverpb.ITxnRequest): Promise<kv.TxnResponse> {
    if (kv.isReadOnlyTxn(r)) {
      if (!kv.isSerializableTxn(r)) await this.linearizable();
      return kv.readTxn(
        this.mvcc,
        r,
        { leases: this.lessor, compactRevision: this.mvcc.compactRevision() },
        this.mvcc.currentRevision(),
      );
    }
    this.checkQuota(this.quota.costTxn(r));
    return this.request({ txn: r });
  }

  async compact(r: etcdserverpb.ICompactionRequest): Promise<{ header: { revision: number } }> {
    return this.request({ compaction: r });
  }

  /** Waits until a read may observe every write acknowledged before it started. */
  linearizable(): Promise<void> {
    if (this.stopped) return Promise.reject(new ServerError("stopped"));
    return this.readIndexer.wait();
  }

  /** Refuses writes that add data past the quota, raising the NOSPACE alarm once. */
  private checkQuota(cost: number): void {
    if (this.quota.available(cost)) return;
    if (!this.alarms.has(AlarmType.NOSPACE)) {
      this.request({
        alarm: {
          action: etcdserverpb.AlarmRequest.AlarmAction.ACTIVATE,
          memberID: idToLong(this.memberId),
          alarm: AlarmType.NOSPACE,
        },
      }).catch(() => {});
    }
    throw new ServerError("noSpace");
  }

  // ---- leases ----------------------------------------------------------------------

  async leaseGrant(r: etcdserverpb.ILeaseGrantRequest): Promise<object> {
    this.checkQuota(this.quota.costLease());
    let id = toSignedId(r.ID);
    // etcd draws IDs from the request ID generator, never 0 and never negative.
    while (id === 0n) id = BigInt.asIntN(64, this.ids.next() & ((1n << 63n) - 1n));
    return this.request({ leaseGrant: { ID: idToLong(id, false), TTL: r.TTL ?? 0 } });
  }

  async leaseRevoke(r: etcdserverpb.ILeaseRevokeRequest): Promise<object> {
    return this.request({ leaseRevoke: r });
  }

  /** A keep-alive: renews on the leader and returns the TTL (0 for an unknown lease). */
  async leaseRenew(id: bigint): Promise<number> {
    await this.linearizable(); // etcd renews only on an up-to-date leader
    try {
      const ttl = this.lessor.renew(id);
      leaseMetrics.renewed.inc();
      return ttl;
    } catch (e) {
      if (e instanceof ErrLeaseNotFound) return 0;
      throw e;
    }
  }

  async leaseTimeToLive(id: bigint, keys: boolean) {
    await this.linearizable();
    return this.lessor.timeToLive(id, keys);
  }

  async leaseLeases(): Promise<bigint[]> {
    await this.linearizable();
    return this.lessor.ids();
  }

  // ---- watch -----------------------------------------------------------------------

  watchStream(consumer: WatchConsumer): WatchStream {
    return this.mvcc.watchStream(consumer);
  }

  // ---- maintenance -----------------------------------------------------------------

  async alarm(r: etcdserverpb.IAlarmRequest): Promise<etcdserverpb.IAlarmResponse> {
    return this.request({ alarm: r });
  }

  status(): ServerStatus {
    const errors = this.alarms.list().map((a) => `memberID:${a.memberId} alarm:${AlarmType[a.alarm]} `);
    return {
      version: this.opts.etcdVersion,
      dbSizeBytes: this.backend.sizeBytes(),
      dbSizeInUseBytes: this.backend.sizeInUseBytes(),
      leader: this.leader,
      raftIndex: this.node.basicStatus().hardState.commit,
      raftTerm: this.term,
      raftAppliedIndex: this.applied,
      errors,
      isLearner: false,
    };
  }

  async defragment(): Promise<void> {
    await this.backend.defragment();
  }

  snapshotStream() {
    return this.backend.snapshot();
  }

  members(): Member[] {
    return this.membership.list();
  }

  /** Proposes a membership change and resolves once it is applied. */
  private async reconfigure(type: ConfChangeType, nodeId: bigint, context: object): Promise<Member[]> {
    if (this.stopped) throw new ServerError("stopped");
    const id = this.ids.next();
    const outcome = this.waiters.register(id);
    this.deadlines.set(id, performance.now() + this.requestTimeoutMs);
    try {
      this.driver.proposeConfChange({ type, nodeId, context: Buffer.from(JSON.stringify(context)), id });
    } catch (e) {
      this.deadlines.delete(id);
      this.waiters.reject(id, e instanceof Error ? e : new Error(String(e)));
    }
    const result = await outcome;
    if (result.error) throw result.error;
    return this.membership.list();
  }

  /**
   * Adds a member. A learner is safe to add alone; a voter would cost this member its
   * quorum until the new one joins, and joining needs the peer transport that arrives
   * with clustering, so voters are refused until then.
   */
  async memberAdd(
    peerUrls: readonly string[],
    isLearner: boolean,
  ): Promise<{ member: Member; members: Member[] }> {
    if (!isLearner) throw new ServerError("noPeerTransport");
    const id = computeMemberId(peerUrls, "", Math.floor(Date.now() / 1000));
    const context = { id: 0, peerURLs: peerUrls, isLearner, isPromote: false };
    const members = await this.reconfigure(ConfChangeType.ConfChangeAddLearnerNode, id, context);
    const member = this.membership.get(id);
    assert.ok(member !== undefined, "an added member is a member");
    return { member, members };
  }

  async memberRemove(id: bigint): Promise<Member[]> {
    // etcd keeps a quorum of started voters after the removal (mayRemoveMember).
    const voters = this.membership.list().filter((m) => !m.isLearner);
    if (id === this.memberId && voters.length === 1) throw new ServerError("notEnoughStartedMembers");
    return this.reconfigure(ConfChangeType.ConfChangeRemoveNode, id, { id: 0, peerURLs: [] });
  }

  async memberUpdate(id: bigint, peerUrls: readonly string[]): Promise<Member[]> {
    return this.reconfigure(ConfChangeType.ConfChangeUpdateNode, id, { id: 0, peerURLs: peerUrls });
  }

  /** Promotes a learner that has caught up with the leader (etcd: 90% of its log). */
  async memberPromote(id: bigint): Promise<Member[]> {
    const member = this.membership.get(id);
    if (member === undefined) throw new ServerError("memberIdNotFound");
    if (!member.isLearner) throw new ServerError("memberNotLearner");
    const progress = this.node.status().progress;
    const learnerMatch = progress.get(id)?.match ?? 0;
    const leaderMatch = progress.get(this.memberId)?.match ?? 0;
    if (learnerMatch < leaderMatch * 0.9) throw new ServerError("learnerNotReady");
    return this.reconfigure(ConfChangeType.ConfChangeAddNode, id, {
      id: 0,
      peerURLs: member.peerUrls,
      isPromote: true,
    });
  }

  // ---- stopping --------------------------------------------------------------------

  async stop(error?: Error): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.compactor?.stop();
    await this.driver.stop();
    const reason = new ServerError("stopped");
    this.waiters.rejectAll(reason);
    this.readIndexer.rejectAll(reason);
    for (const notify of this.leaderWaiters.splice(0)) notify();
    // Close everything even if one part fails, and always settle `done`: a member that
    // hit a fatal error must still stop (and its process exit) rather than hang.
    let failure = error;
    for (const close of [() => this.mvcc.close(), () => this.wal.close(), () => this.backend.close()]) {
      try {
        await close();
      } catch (e) {
        failure ??= e instanceof Error ? e : new Error(String(e));
      }
    }
    this.markStopped(failure);
  }
}

/** "3.4.0" -> "3.4", as etcd logs cluster versions. */
function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

function confChangeOf(entry: Entry) {
  const cc = confChangeOfEntry(entry);
  assert.ok(cc !== null, `entry ${entry.index} is not a conf change`);
  return cc;
}

function requestId(r: etcdserverpb.InternalRaftRequest): bigint {
  const id = toId(r.ID);
  return id !== 0n ? id : toId(r.header?.ID);
}
