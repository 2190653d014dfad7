// The cluster's members and version, as the apply loop decides them, persisted as etcd
// 3.4 keeps them in its backend: bucket `members`, key = member ID in hex, value = the
// member as JSON; bucket `cluster`, key `clusterVersion`, value e.g. "3.4.0".

import assert from "node:assert/strict";
import type { ReadTx, WriteTx } from "../storage/index.js";
import { formatId } from "./ids.js";

export interface Member {
  readonly id: bigint;
  /** Empty until the member publishes its attributes. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
  readonly isLearner: boolean;
}

const MEMBERS = "members";
const CLUSTER = "cluster";
const CLUSTER_VERSION_KEY = Buffer.from("clusterVersion");

/** etcd's JSON for a member; the ID is a 64-bit number, so it is written by hand. */
function memberJson(m: Member): string {
  const fields = [`"id":${m.id.toString()}`, `"peerURLs":${JSON.stringify(m.peerUrls)}`];
  if (m.isLearner) fields.push(`"isLearner":true`);
  if (m.name !== "") fields.push(`"name":${JSON.stringify(m.name)}`);
  if (m.clientUrls.length > 0) fields.push(`"clientURLs":${JSON.stringify(m.clientUrls)}`);
  return `{${fields.join(",")}}`;
}

function parseMember(key: Buffer, value: Buffer): Member {
  const json = JSON.parse(value.toString()) as {
    peerURLs?: string[];
    isLearner?: boolean;
    name?: string;
    clientURLs?: string[];
  };
  return {
    id: BigInt(`0x${key.toString()}`), // the JSON's number loses precision in JS; the key does not
    name: json.name ?? "",
    peerUrls: json.peerURLs ?? [],
    clientUrls: json.clientURLs ?? [],
    isLearner: json.isLearner ?? false,
  };
}

/** "3.4.7" -> "3.4.0": the cluster version carries major.minor only, as etcd's does. */
export function clusterVersionOf(etcdVersion: string): string {
  const [major = "3", minor = "4"] = etcdVersion.split(".");
  return `${major}.${minor}.0`;
}

export class Membership {
  private readonly members = new Map<bigint, Member>();
  private version: string | undefined;

  constructor(
    readonly clusterId: bigint,
    readonly localId: bigint,
  ) {}

  load(tx: ReadTx): void {
    for (const { key, value } of tx.scan(MEMBERS)) {
      const member = parseMember(key, value);
      this.members.set(member.id, member);
    }
    this.version = tx.get(CLUSTER, CLUSTER_VERSION_KEY)?.toString();
  }

  get clusterVersion(): string | undefined {
    return this.version;
  }

  list(): Member[] {
    return [...this.members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: bigint): Member | undefined {
    return this.members.get(id);
  }

  get local(): Member {
    const self = this.members.get(this.localId);
    assert.ok(self !== undefined, "the local member is not in the cluster");
    return self;
  }

  add(tx: WriteTx, member: Member): void {
    this.save(tx, member);
  }

  remove(tx: WriteTx, id: bigint): void {
    this.members.delete(id);
    tx.delete(MEMBERS, Buffer.from(formatId(id)));
  }

  /** A member published its name and client URLs. */
  setAttributes(tx: WriteTx, id: bigint, name: string, clientUrls: readonly string[]): void {
    const member = this.members.get(id);
    if (member === undefined) return; // published by a member removed since
    this.save(tx, { ...member, name, clientUrls });
  }

  setClusterVersion(tx: WriteTx, version: string): void {
    this.version = version;
    tx.put(CLUSTER, CLUSTER_VERSION_KEY, Buffer.from(version));
  }

  private save(tx: WriteTx, member: Member): void {
    this.members.set(member.id, member);
    tx.put(MEMBERS, Buffer.from(formatId(member.id)), Buffer.from(memberJson(member)));
  }
}
