// The cluster's members and version, as the apply loop decides them, persisted as etcd
// 3.4 keeps them in its backend: bucket `members`, key = member ID in hex, value = the
// member as JSON; bucket `cluster`, key `clusterVersion`, value e.g. "3.4.0".

import assert from "node:assert/strict";
import type { ReadTx, WriteTx } from "../storage/index.js";
import type { ServerErrorKind } from "./errors.js";
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
const REMOVED = "members_removed";
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

/** What a conf change's context carries: etcd's ConfigChangeContext (a member, flattened). */
export interface ConfChangeContext {
  readonly peerURLs?: string[];
  readonly isLearner?: boolean;
  readonly isPromote?: boolean;
}

export function parseConfChangeContext(context: Uint8Array): ConfChangeContext {
  const text = Buffer.from(context).toString();
  return text === "" ? {} : (JSON.parse(text) as ConfChangeContext);
}

/** etcd's limit on learners in a cluster. */
const MAX_LEARNERS = 1;

export class Membership {
  private readonly members = new Map<bigint, Member>();
  private readonly removed = new Set<bigint>();
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
    for (const key of tx.keys(REMOVED)) this.removed.add(BigInt(`0x${key.toString()}`));
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
    this.removed.add(id);
    tx.delete(MEMBERS, Buffer.from(formatId(id)));
    tx.put(REMOVED, Buffer.from(formatId(id)), Buffer.from([]));
  }

  promote(tx: WriteTx, id: bigint): void {
    const member = this.members.get(id);
    if (member !== undefined) this.save(tx, { ...member, isLearner: false });
  }

  updatePeerUrls(tx: WriteTx, id: bigint, peerUrls: readonly string[]): void {
    const member = this.members.get(id);
    if (member !== undefined) this.save(tx, { ...member, peerUrls });
  }

  /**
   * The checks etcd makes when a conf change is applied (ValidateConfigurationChange):
   * the error kind to answer with, or undefined if the change may go ahead.
   */
  validate(
    kind: "add" | "remove" | "update",
    id: bigint,
    context: ConfChangeContext,
  ): ServerErrorKind | undefined {
    if (this.removed.has(id)) return "memberIdRemoved";
    const member = this.members.get(id);
    const urlsOfOthers = new Set(
      this.list()
        .filter((m) => m.id !== id)
        .flatMap((m) => m.peerUrls),
    );
    switch (kind) {
      case "add":
        if (context.isPromote) {
          if (member === undefined) return "memberIdNotFound";
          return member.isLearner ? undefined : "memberNotLearner";
        }
        if (member !== undefined) return "memberIdExists";
        if ((context.peerURLs ?? []).some((u) => urlsOfOthers.has(u))) return "peerUrlExists";
        if (context.isLearner && this.list().filter((m) => m.isLearner).length + 1 > MAX_LEARNERS) {
          return "tooManyLearners";
        }
        return undefined;
      case "remove":
        return member === undefined ? "memberIdNotFound" : undefined;
      case "update":
        if (member === undefined) return "memberIdNotFound";
        return (context.peerURLs ?? []).some((u) => urlsOfOthers.has(u)) ? "peerUrlExists" : undefined;
    }
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
