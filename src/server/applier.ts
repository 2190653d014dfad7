// Applies one committed request (etcd's InternalRaftRequest) to the state machine —
// MVCC, leases, alarms, membership — inside the storage transaction of its batch.
// What etcd returns to the client as an error (a missing lease, a compacted revision,
// no space) comes back as `error`; anything else thrown is a bug and propagates.

import {
  ErrLeaseExists,
  ErrLeaseNotFound,
  ErrLeaseTTLTooLarge,
  type LeaseWriter,
  type Lessor,
} from "../lease/index.js";
import { leaseMetrics, mvccMetrics } from "../metrics/index.js";
import { ErrCompacted, ErrFutureRev, type Event, type MvccStore } from "../mvcc/index.js";
import { etcdserverpb, idToLong, leasepb, toId, toNumber, toSignedId } from "../proto/index.js";
import type { WriteTx } from "../storage/index.js";
import { type Alarm, type AlarmStore, AlarmType } from "./alarms.js";
import { ServerError } from "./errors.js";
import { deleteRange, isReadOnlyTxn, put, writeTxn } from "./kv/ops.js";
import type { Membership } from "./membership.js";
import type { Logger } from "./options.js";

type InternalRaftRequest = etcdserverpb.InternalRaftRequest;

export interface ApplyOutcome {
  readonly response?: object;
  readonly error?: Error;
  /** For a physical compaction: resolves when the compacted data is gone. */
  readonly done?: Promise<void>;
}

export interface ApplierDeps {
  readonly mvcc: MvccStore;
  readonly lessor: Lessor;
  readonly alarms: AlarmStore;
  readonly membership: Membership;
  readonly logger: Logger;
  /** The cluster version was set (etcd logs "enabled capabilities for version"). */
  readonly onClusterVersion: (version: string) => void;
}

const LEASE_BUCKET = "lease";
const MEMBER_ATTRIBUTES_PATH = /^\/0\/members\/([0-9a-f]+)\/attributes$/;
const CLUSTER_VERSION_PATH = "/0/version";

function isOperatingError(e: unknown): e is Error {
  return (
    e instanceof ServerError ||
    e instanceof ErrLeaseNotFound ||
    e instanceof ErrLeaseExists ||
    e instanceof ErrLeaseTTLTooLarge ||
    e instanceof ErrCompacted ||
    e instanceof ErrFutureRev
  );
}

/** etcd_debugging_mvcc_keys_total follows keys created and deleted. */
function countKeys(events: readonly Event[]): void {
  for (const e of events) {
    if (e.type === "delete") mvccMetrics.keys.dec();
    else if (e.kv.version === 1) mvccMetrics.keys.inc();
  }
}

function leaseKey(id: bigint): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigInt64BE(id);
  return key;
}

export function leaseWriter(tx: WriteTx): LeaseWriter {
  return {
    put: (l) =>
      tx.put(
        LEASE_BUCKET,
        leaseKey(l.id),
        Buffer.from(
          leasepb.Lease.encode({
            ID: idToLong(l.id, false),
            TTL: l.ttlSeconds,
            RemainingTTL: l.remainingTtlSeconds,
          }).finish(),
        ),
      ),
    delete: (id) => {
      tx.delete(LEASE_BUCKET, leaseKey(id));
    },
  };
}

export class Applier {
  constructor(private readonly deps: ApplierDeps) {}

  /** Whether writes that add data are refused (a NOSPACE alarm is raised). */
  private get capped(): boolean {
    return this.deps.alarms.has(AlarmType.NOSPACE);
  }

  apply(tx: WriteTx, r: InternalRaftRequest): ApplyOutcome {
    try {
      return this.dispatch(tx, r);
    } catch (e) {
      if (isOperatingError(e)) return { error: e };
      throw e;
    }
  }

  private dispatch(tx: WriteTx, r: InternalRaftRequest): ApplyOutcome {
    const { mvcc, lessor } = this.deps;
    if (r.put) {
      if (this.capped) throw new ServerError("noSpace");
      return { response: this.inWriteTxn(tx, (w) => put(w, r.put ?? {}, lessor)) };
    }
    if (r.deleteRange) return { response: this.inWriteTxn(tx, (w) => deleteRange(w, r.deleteRange ?? {})) };
    if (r.txn) {
      const t = r.txn;
      if (this.capped && !isReadOnlyTxn(t)) throw new ServerError("noSpace");
      const compactRevision = mvcc.compactRevision();
      return { response: this.inWriteTxn(tx, (w) => writeTxn(w, t, { leases: lessor, compactRevision })) };
    }
    if (r.compaction) {
      const { done } = mvcc.compact(toNumber(r.compaction.revision), tx);
      const response = { header: { revision: mvcc.currentRevision() } };
      return r.compaction.physical ? { response, done } : { response };
    }
    if (r.leaseGrant) {
      if (this.capped) throw new ServerError("noSpace");
      const status = lessor.grant(toSignedId(r.leaseGrant.ID), toNumber(r.leaseGrant.TTL), leaseWriter(tx));
      leaseMetrics.granted.inc();
      return {
        response: {
          header: { revision: mvcc.currentRevision() },
          ID: idToLong(status.id, false),
          TTL: status.grantedTtlSeconds,
        },
      };
    }
    if (r.leaseRevoke) {
      this.revokeLease(tx, toSignedId(r.leaseRevoke.ID));
      return { response: { header: { revision: mvcc.currentRevision() } } };
    }
    if (r.leaseCheckpoint) {
      for (const c of r.leaseCheckpoint.checkpoints ?? []) {
        lessor.checkpoint(toSignedId(c.ID), toNumber(c.remaining_TTL), leaseWriter(tx));
      }
      return { response: { header: { revision: mvcc.currentRevision() } } };
    }
    if (r.alarm) return { response: this.alarm(tx, r.alarm) };
    if (r.v2) return { response: this.applyV2(tx, r.v2) };
    throw new ServerError("unknownMethod");
  }

  /** Revokes a lease and deletes its keys in one MVCC transaction (one revision). */
  revokeLease(tx: WriteTx, id: bigint): void {
    const w = this.deps.mvcc.write(tx);
    try {
      this.deps.lessor.revoke(id, leaseWriter(tx), (key) => w.deleteRange(key));
    } finally {
      countKeys(w.end().events);
    }
    leaseMetrics.revoked.inc();
  }

  private inWriteTxn<T>(tx: WriteTx, fn: (w: ReturnType<MvccStore["write"]>) => T): T {
    const w = this.deps.mvcc.write(tx);
    let response: T;
    try {
      response = fn(w);
    } catch (e) {
      w.end(); // a failed request changed nothing: it ends without a revision
      throw e;
    }
    countKeys(w.end().events);
    return response;
  }

  private alarm(tx: WriteTx, a: etcdserverpb.IAlarmRequest): object {
    const { alarms, logger } = this.deps;
    const alarm: Alarm = { memberId: toId(a.memberID), alarm: a.alarm ?? AlarmType.NONE };
    const wire = (x: Alarm) => ({ memberID: idToLong(x.memberId), alarm: x.alarm });
    const header = { revision: this.deps.mvcc.currentRevision() };
    switch (a.action ?? etcdserverpb.AlarmRequest.AlarmAction.GET) {
      case etcdserverpb.AlarmRequest.AlarmAction.ACTIVATE: {
        const raised = alarms.activate(tx, alarm);
        if (raised)
          logger.warn("alarm raised", { alarm: AlarmType[raised.alarm], from: raised.memberId.toString(16) });
        return { header, alarms: raised ? [wire(raised)] : [] };
      }
      case etcdserverpb.AlarmRequest.AlarmAction.DEACTIVATE: {
        const cleared = alarms.deactivate(tx, alarm);
        if (cleared)
          logger.warn("alarm disarmed", {
            alarm: AlarmType[cleared.alarm],
            from: cleared.memberId.toString(16),
          });
        return { header, alarms: cleared ? [wire(cleared)] : [] };
      }
      default:
        return { header, alarms: alarms.list(alarm.alarm).map(wire) };
    }
  }

  /**
   * etcd 3.4 carries two cluster-internal writes as v2 requests: a member publishing
   * its name and client URLs, and the cluster version.
   */
  private applyV2(tx: WriteTx, r: etcdserverpb.IRequest): object {
    const { membership } = this.deps;
    const path = r.Path ?? "";
    const attributes = MEMBER_ATTRIBUTES_PATH.exec(path);
    if (r.Method === "PUT" && attributes?.[1] !== undefined) {
      const id = BigInt(`0x${attributes[1]}`);
      const value = JSON.parse(r.Val ?? "{}") as { name?: string; clientURLs?: string[] };
      membership.setAttributes(tx, id, value.name ?? "", value.clientURLs ?? []);
      return {};
    }
    if (r.Method === "PUT" && path === CLUSTER_VERSION_PATH) {
      const version = r.Val ?? "";
      membership.setClusterVersion(tx, version);
      tx.onCommit(() => this.deps.onClusterVersion(version));
      return {};
    }
    throw new ServerError("unknownMethod");
  }
}
