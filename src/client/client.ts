// The etcd v3 client: every KV, Watch, Lease, Cluster, Maintenance, Auth, Election and
// Lock call with friendly types (revisions as number, IDs as bigint, bytes as Buffer).
import { idToLong, Long } from "../proto/index.js";
import { fromWire } from "./convert.js";
import { LeaseKeepAlive } from "./keepalive.js";
import { type Bytes, toBuffer } from "./keys.js";
import { M } from "./methods.js";
import {
  type DeleteOptions,
  deleteRequest,
  type GetOptions,
  type PutOptions,
  putRequest,
  rangeRequest,
  type TxnSpec,
  txnRequest,
} from "./ops.js";
import { AsyncQueue } from "./queue.js";
import { type CallOptions, type ClientConfig, type MethodDef, Transport } from "./transport.js";
import type {
  AlarmResponse,
  AuthenticateResponse,
  AuthRoleGetResponse,
  AuthRoleListResponse,
  AuthUserGetResponse,
  AuthUserListResponse,
  CampaignResponse,
  CompactionResponse,
  DefragmentResponse,
  DeleteRangeResponse,
  HashKVResponse,
  HeaderResponse,
  LeaderKey,
  LeaderResponse,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  LockResponse,
  MemberAddResponse,
  MemberListResponse,
  MemberPromoteResponse,
  MemberRemoveResponse,
  MemberUpdateResponse,
  MoveLeaderResponse,
  PutResponse,
  RangeResponse,
  SnapshotResponse,
  StatusResponse,
  TxnResponse,
} from "./types.js";
import { Watcher, type WatchOptions } from "./watch.js";

export type PermissionTypeName = "READ" | "WRITE" | "READWRITE";
const PERM: Record<PermissionTypeName, number> = { READ: 0, WRITE: 1, READWRITE: 2 };

export class Client {
  readonly transport: Transport;
  private readonly watchers = new Set<Watcher>();
  private readonly keepAlives = new Set<LeaseKeepAlive>();

  constructor(readonly config: ClientConfig) {
    this.transport = new Transport(config);
  }

  /** A client that has dialled and (with credentials) authenticated, as clientv3.New does. */
  static async connect(config: ClientConfig): Promise<Client> {
    const c = new Client(config);
    try {
      await c.transport.connect();
    } catch (err) {
      c.close();
      throw err;
    }
    return c;
  }

  /** The endpoints this client was given. */
  get endpoints(): string[] {
    return this.transport.endpoints.map((e) => e.raw);
  }

  close(): void {
    for (const w of this.watchers) w.cancel();
    for (const k of this.keepAlives) k.close();
    this.transport.close();
  }

  private async call<T>(m: MethodDef, request: unknown, opts?: CallOptions): Promise<T> {
    const res = await this.transport.unary(m, request, opts);
    return fromWire<T>(m.responseType, res);
  }

  // --- KV ---

  get(key: Bytes, options: GetOptions = {}, opts?: CallOptions): Promise<RangeResponse> {
    return this.call(M.range, rangeRequest(key, options), opts);
  }

  put(key: Bytes, value: Bytes, options: PutOptions = {}, opts?: CallOptions): Promise<PutResponse> {
    return this.call(M.put, putRequest(key, value, options), opts);
  }

  delete(key: Bytes, options: DeleteOptions = {}, opts?: CallOptions): Promise<DeleteRangeResponse> {
    return this.call(M.deleteRange, deleteRequest(key, options), opts);
  }

  txn(spec: TxnSpec, opts?: CallOptions): Promise<TxnResponse> {
    return this.call(M.txn, txnRequest(spec), opts);
  }

  compact(
    revision: number,
    options: { physical?: boolean } = {},
    opts?: CallOptions,
  ): Promise<CompactionResponse> {
    return this.call(
      M.compact,
      { revision: Long.fromNumber(revision), physical: options.physical ?? false },
      opts,
    );
  }

  // --- Watch ---

  /** Watches a key or range; iterate the returned watcher for responses. */
  watch(key: Bytes, options: WatchOptions = {}): Watcher {
    const w = new Watcher(this.transport, key, options);
    this.watchers.add(w);
    return w;
  }

  /** Asks every open watch for a progress notification. */
  requestProgress(): void {
    for (const w of this.watchers) w.requestProgress();
  }

  // --- Lease ---

  leaseGrant(ttlSeconds: number, id = 0n, opts?: CallOptions): Promise<LeaseGrantResponse> {
    return this.call(M.leaseGrant, { TTL: Long.fromNumber(ttlSeconds), ID: idToLong(id, false) }, opts);
  }

  leaseRevoke(id: bigint, opts?: CallOptions): Promise<LeaseRevokeResponse> {
    return this.call(M.leaseRevoke, { ID: idToLong(id, false) }, opts);
  }

  leaseTimeToLive(
    id: bigint,
    options: { keys?: boolean } = {},
    opts?: CallOptions,
  ): Promise<LeaseTimeToLiveResponse> {
    return this.call(M.leaseTimeToLive, { ID: idToLong(id, false), keys: options.keys ?? false }, opts);
  }

  leaseLeases(opts?: CallOptions): Promise<LeaseLeasesResponse> {
    return this.call(M.leaseLeases, {}, opts);
  }

  /** Renews a lease once. */
  async leaseKeepAliveOnce(id: bigint, opts?: CallOptions): Promise<LeaseKeepAliveResponse> {
    const stream = await this.transport.bidi(M.leaseKeepAlive, opts);
    try {
      return await new Promise<LeaseKeepAliveResponse>((resolve, reject) => {
        stream.on("data", (msg: unknown) =>
          resolve(fromWire<LeaseKeepAliveResponse>("etcdserverpb.LeaseKeepAliveResponse", msg)),
        );
        stream.on("error", reject);
        stream.on("end", () => reject(new Error("lease keepalive stream closed")));
        stream.write({ ID: idToLong(id, false) });
      });
    } finally {
      stream.cancel();
    }
  }

  /** Keeps a lease alive until close(); iterate for each renewal. Ends when the lease is gone. */
  leaseKeepAlive(id: bigint): LeaseKeepAlive {
    const k = new LeaseKeepAlive(this.transport, id);
    this.keepAlives.add(k);
    void k.finished.then(() => this.keepAlives.delete(k));
    return k;
  }

  // --- Cluster ---

  memberList(opts?: CallOptions): Promise<MemberListResponse> {
    return this.call(M.memberList, {}, opts);
  }

  memberAdd(
    peerURLs: string[],
    options: { learner?: boolean } = {},
    opts?: CallOptions,
  ): Promise<MemberAddResponse> {
    return this.call(M.memberAdd, { peerURLs, isLearner: options.learner ?? false }, opts);
  }

  memberRemove(id: bigint, opts?: CallOptions): Promise<MemberRemoveResponse> {
    return this.call(M.memberRemove, { ID: idToLong(id) }, opts);
  }

  memberUpdate(id: bigint, peerURLs: string[], opts?: CallOptions): Promise<MemberUpdateResponse> {
    return this.call(M.memberUpdate, { ID: idToLong(id), peerURLs }, opts);
  }

  memberPromote(id: bigint, opts?: CallOptions): Promise<MemberPromoteResponse> {
    return this.call(M.memberPromote, { ID: idToLong(id) }, opts);
  }

  // --- Maintenance ---

  alarmList(opts?: CallOptions): Promise<AlarmResponse> {
    return this.call(M.alarm, { action: 0, memberID: idToLong(0n), alarm: 0 }, opts);
  }

  /** Disarms an alarm; member 0 and alarm NONE disarm every alarm (as etcdctl asks). */
  alarmDisarm(memberID = 0n, alarm = 0, opts?: CallOptions): Promise<AlarmResponse> {
    return this.call(M.alarm, { action: 2, memberID: idToLong(memberID), alarm }, opts);
  }

  /** The status of one endpoint (the call goes to that endpoint). */
  status(endpoint: string, opts?: CallOptions): Promise<StatusResponse> {
    return this.call(M.status, {}, { ...opts, endpoint });
  }

  hashKV(endpoint: string, revision = 0, opts?: CallOptions): Promise<HashKVResponse> {
    return this.call(M.hashKV, { revision: Long.fromNumber(revision) }, { ...opts, endpoint });
  }

  defragment(endpoint: string, opts?: CallOptions): Promise<DefragmentResponse> {
    return this.call(M.defragment, {}, { ...opts, endpoint });
  }

  /** Transfers leadership; must reach the current leader. */
  moveLeader(targetID: bigint, opts?: CallOptions): Promise<MoveLeaderResponse> {
    return this.call(M.moveLeader, { targetID: idToLong(targetID) }, opts);
  }

  /** The backend snapshot as a stream of chunks (the server appends a SHA-256 of the data). */
  async snapshot(opts?: CallOptions): Promise<AsyncIterable<SnapshotResponse>> {
    const stream = await this.transport.serverStream(M.snapshot, {}, opts);
    const q = new AsyncQueue<SnapshotResponse>();
    stream.on("data", (msg: unknown) =>
      q.push(fromWire<SnapshotResponse>("etcdserverpb.SnapshotResponse", msg)),
    );
    stream.on("error", (err: Error) => q.end(err));
    stream.on("end", () => q.end());
    return q;
  }

  // --- Auth ---

  authEnable(opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.authEnable, {}, opts);
  }

  authDisable(opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.authDisable, {}, opts);
  }

  userAdd(name: string, password: string, options: { noPassword?: boolean } = {}, opts?: CallOptions) {
    return this.call<HeaderResponse>(
      M.userAdd,
      { name, password, options: { noPassword: options.noPassword ?? false } },
      opts,
    );
  }

  userGet(name: string, opts?: CallOptions): Promise<AuthUserGetResponse> {
    return this.call(M.userGet, { name }, opts);
  }

  userList(opts?: CallOptions): Promise<AuthUserListResponse> {
    return this.call(M.userList, {}, opts);
  }

  userDelete(name: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.userDelete, { name }, opts);
  }

  userChangePassword(name: string, password: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.userChangePassword, { name, password }, opts);
  }

  userGrantRole(user: string, role: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.userGrantRole, { user, role }, opts);
  }

  userRevokeRole(name: string, role: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.userRevokeRole, { name, role }, opts);
  }

  roleAdd(name: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.roleAdd, { name }, opts);
  }

  roleGet(role: string, opts?: CallOptions): Promise<AuthRoleGetResponse> {
    return this.call(M.roleGet, { role }, opts);
  }

  roleList(opts?: CallOptions): Promise<AuthRoleListResponse> {
    return this.call(M.roleList, {}, opts);
  }

  roleDelete(role: string, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.roleDelete, { role }, opts);
  }

  roleGrantPermission(
    name: string,
    key: Bytes,
    rangeEnd: Bytes,
    permType: PermissionTypeName,
    opts?: CallOptions,
  ): Promise<HeaderResponse> {
    return this.call(
      M.roleGrantPermission,
      { name, perm: { permType: PERM[permType], key: toBuffer(key), rangeEnd: toBuffer(rangeEnd) } },
      opts,
    );
  }

  roleRevokePermission(
    role: string,
    key: Bytes,
    rangeEnd: Bytes,
    opts?: CallOptions,
  ): Promise<HeaderResponse> {
    return this.call(
      M.roleRevokePermission,
      { role, key: toBuffer(key), rangeEnd: toBuffer(rangeEnd) },
      opts,
    );
  }

  /** Exchanges a user name and password for a token (the client does this itself when configured). */
  authenticate(name: string, password: string, opts?: CallOptions): Promise<AuthenticateResponse> {
    return this.call(M.authenticate, { name, password }, opts);
  }

  // --- Election and Lock services (server-side concurrency) ---

  campaign(name: Bytes, lease: bigint, value: Bytes, opts?: CallOptions): Promise<CampaignResponse> {
    return this.call(
      M.campaign,
      { name: toBuffer(name), lease: idToLong(lease, false), value: toBuffer(value) },
      opts,
    );
  }

  proclaim(leader: LeaderKey, value: Bytes, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.proclaim, { leader: leaderKeyRequest(leader), value: toBuffer(value) }, opts);
  }

  leader(name: Bytes, opts?: CallOptions): Promise<LeaderResponse> {
    return this.call(M.leader, { name: toBuffer(name) }, opts);
  }

  resign(leader: LeaderKey, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.resign, { leader: leaderKeyRequest(leader) }, opts);
  }

  /** Every leader change of an election, as the Election service streams them. */
  async observe(name: Bytes, opts?: CallOptions): Promise<AsyncIterable<LeaderResponse>> {
    const stream = await this.transport.serverStream(M.observe, { name: toBuffer(name) }, opts);
    const q = new AsyncQueue<LeaderResponse>();
    stream.on("data", (msg: unknown) => q.push(fromWire<LeaderResponse>("v3electionpb.LeaderResponse", msg)));
    stream.on("error", (err: Error) => q.end(err));
    stream.on("end", () => q.end());
    return q;
  }

  lock(name: Bytes, lease: bigint, opts?: CallOptions): Promise<LockResponse> {
    return this.call(M.lock, { name: toBuffer(name), lease: idToLong(lease, false) }, opts);
  }

  unlock(key: Bytes, opts?: CallOptions): Promise<HeaderResponse> {
    return this.call(M.unlock, { key: toBuffer(key) }, opts);
  }
}

function leaderKeyRequest(l: LeaderKey): Record<string, unknown> {
  return { name: l.name, key: l.key, rev: Long.fromNumber(l.rev), lease: idToLong(l.lease, false) };
}

export type { LeaseKeepAliveResponse };
