// etcd's well-known lines, word for word in each format. Scripts and test suites wait for
// them (etcd's e2e suite: "enabled capabilities for version" and "published"; kubeadm and
// many scripts: "ready to serve client requests"), so they are written only through here.
import type { Logger } from "./logger.js";

// Each helper writes through a child logger; skip its frame so zap's caller is the server's.
const SKIP = 1;

/** etcd's `types.ID.String()`: hexadecimal without leading zeros. */
export function idHex(id: bigint): string {
  return id.toString(16);
}

export interface Published {
  readonly memberId: bigint;
  readonly clusterId: bigint;
  readonly name: string;
  readonly clientUrls: readonly string[];
  /** How long each publish attempt may take (etcd: the request timeout, 7s by default). */
  readonly publishTimeout: string;
}

/** The member's attributes were committed through Raft: the member is part of the cluster. */
export function logPublished(log: Logger, p: Published): void {
  const attributes = `{Name:${p.name} ClientURLs:[${p.clientUrls.join(" ")}]}`;
  log.child("etcdserver").log(
    "info",
    "published local member to cluster through raft",
    {
      "local-member-id": idHex(p.memberId),
      "local-member-attributes": attributes,
      "request-path": `/0/members/${idHex(p.memberId)}/attributes`,
      "cluster-id": idHex(p.clusterId),
      "publish-timeout": p.publishTimeout,
    },
    `published ${attributes} to cluster ${idHex(p.clusterId)}`,
    SKIP,
  );
}

/** The cluster version is known and its capabilities are on (`clusterVersion` like "3.4"). */
export function logCapabilities(log: Logger, clusterVersion: string): void {
  log
    .child("etcdserver/api")
    .log(
      "info",
      "enabled capabilities for version",
      { "cluster-version": clusterVersion },
      `enabled capabilities for version ${clusterVersion}`,
      SKIP,
    );
}

/** Client listeners are about to serve (etcd 3.4 prints it in capnslog, 3.5 in zap too). */
export function logReadyToServe(log: Logger): void {
  log.child("embed").log("info", "ready to serve client requests", undefined, undefined, SKIP);
}

/** One client listener is serving; `address` is the bound host:port. */
export function logServingClients(log: Logger, address: string, secure: boolean): void {
  const embed = log.child("embed");
  if (secure) {
    embed.log(
      "info",
      "serving client traffic securely",
      { address },
      `serving client requests on ${address}`,
      SKIP,
    );
  } else {
    embed.log(
      "notice",
      "serving client traffic insecurely; this is strongly discouraged!",
      { address },
      `serving insecure client requests on ${address}, this is strongly discouraged!`,
      SKIP,
    );
  }
}
