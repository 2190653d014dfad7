// The rows etcdctl shows for member lists, endpoint checks and snapshot status, shared by
// the simple format (comma-joined) and the table format.
import type { MemberListResponse } from "../../client/index.js";
import { humanizeBytes } from "../go/format.js";
import type { DbStatus, EpHashKV, EpHealth, EpStatus } from "./printer.js";

export const MEMBER_LIST_HEADER = ["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"];

export function memberListRows(r: MemberListResponse): string[][] {
  return r.members.map((m) => [
    m.ID.toString(16),
    m.name.length === 0 ? "unstarted" : "started",
    m.name,
    m.peerURLs.join(","),
    m.clientURLs.join(","),
    String(m.isLearner),
  ]);
}

export const ENDPOINT_HEALTH_HEADER = ["endpoint", "health", "took", "error"];

export function endpointHealthRows(list: EpHealth[]): string[][] {
  return list.map((h) => [h.ep, String(h.health), h.took, h.error]);
}

export const ENDPOINT_STATUS_HEADER = [
  "endpoint",
  "ID",
  "version",
  "db size",
  "is leader",
  "is learner",
  "raft term",
  "raft index",
  "raft applied index",
  "errors",
];

export function endpointStatusRows(list: EpStatus[]): string[][] {
  return list.map(({ ep, resp }) => [
    ep,
    (resp.header?.memberId ?? 0n).toString(16),
    resp.version,
    humanizeBytes(resp.dbSize),
    String(resp.leader === (resp.header?.memberId ?? 0n)),
    String(resp.isLearner),
    String(resp.raftTerm),
    String(resp.raftIndex),
    String(resp.raftAppliedIndex),
    resp.errors.join(", "),
  ]);
}

export const ENDPOINT_HASHKV_HEADER = ["endpoint", "hash"];

export function endpointHashKVRows(list: EpHashKV[]): string[][] {
  return list.map(({ ep, resp }) => [ep, String(resp.hash)]);
}

export const DB_STATUS_HEADER = ["hash", "revision", "total keys", "total size"];

export function dbStatusRows(s: DbStatus): string[][] {
  return [[s.hash.toString(16), String(s.revision), String(s.totalKey), humanizeBytes(s.totalSize)]];
}
