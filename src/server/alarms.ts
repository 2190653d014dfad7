// Raised alarms (NOSPACE, CORRUPT) per member, persisted in the `alarm` bucket as etcd
// keeps them: the key is an encoded AlarmMember, the value empty.

import { etcdserverpb, idToLong, toId } from "../proto/index.js";
import type { ReadTx, WriteTx } from "../storage/index.js";

export const AlarmType = etcdserverpb.AlarmType;
const BUCKET = "alarm";
const EMPTY = Buffer.alloc(0);

export interface Alarm {
  readonly memberId: bigint;
  readonly alarm: number;
}

function alarmKey(a: Alarm): Buffer {
  return Buffer.from(
    etcdserverpb.AlarmMember.encode({ memberID: idToLong(a.memberId), alarm: a.alarm }).finish(),
  );
}

export class AlarmStore {
  /** Keyed by `${alarm}/${memberId}`. */
  private readonly active = new Map<string, Alarm>();

  load(tx: ReadTx): void {
    for (const { key } of tx.scan(BUCKET)) {
      const m = etcdserverpb.AlarmMember.decode(key);
      this.remember({ memberId: toId(m.memberID), alarm: m.alarm });
    }
  }

  /** Raises an alarm; returns it if it was not already raised. */
  activate(tx: WriteTx, alarm: Alarm): Alarm | undefined {
    if (this.active.has(mapKey(alarm))) return undefined;
    tx.put(BUCKET, alarmKey(alarm), EMPTY);
    this.remember(alarm);
    return alarm;
  }

  /** Clears an alarm; returns it if it was raised. */
  deactivate(tx: WriteTx, alarm: Alarm): Alarm | undefined {
    const existing = this.active.get(mapKey(alarm));
    if (existing === undefined) return undefined;
    tx.delete(BUCKET, alarmKey(alarm));
    this.active.delete(mapKey(alarm));
    return existing;
  }

  list(alarm = AlarmType.NONE): Alarm[] {
    const all = [...this.active.values()];
    return alarm === AlarmType.NONE ? all : all.filter((a) => a.alarm === alarm);
  }

  has(alarm: number): boolean {
    return this.list(alarm).length > 0;
  }

  private remember(alarm: Alarm): void {
    this.active.set(mapKey(alarm), alarm);
  }
}

function mapKey(a: Alarm): string {
  return `${a.alarm}/${a.memberId}`;
}
