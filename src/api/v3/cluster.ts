// The Cluster service: membership as the member's Raft log records it.

import { idToLong, toId } from "../../proto/index.js";
import type { EtcdServer, Member } from "../../server/index.js";
import { GrpcError, type GrpcServer, Status, serviceMethods } from "../grpc/index.js";
import { mapErrors } from "./errors.js";
import { responseHeader } from "./header.js";

const wireMember = (m: Member) => ({
  ID: idToLong(m.id),
  name: m.name,
  peerURLs: [...m.peerUrls],
  clientURLs: [...m.clientUrls],
  isLearner: m.isLearner,
});

/** etcd's types.NewURLs: scheme http(s) or unix(s), an address of the form host:port, no path. */
const PEER_URL = /^(https?|unixs?):\/\/[^/?#\s]*:\d+$/;
const validPeerUrls = (urls: readonly string[]) =>
  urls.length > 0 && urls.every((u) => PEER_URL.test(u.trim()));

const badUrls = () => new GrpcError(Status.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");

export function registerCluster(grpc: GrpcServer, server: EtcdServer): void {
  const cluster = serviceMethods("etcdserverpb.Cluster");
  const list = () => server.members().map(wireMember);
  grpc.register(cluster.MemberList, () => ({ header: responseHeader(server), members: list() }));
  grpc.register(cluster.MemberAdd, (req) =>
    mapErrors(async () => {
      const urls = req.peerURLs ?? [];
      if (!validPeerUrls(urls)) throw badUrls();
      const { member, members } = await server.memberAdd(urls, req.isLearner === true);
      return { header: responseHeader(server), member: wireMember(member), members: members.map(wireMember) };
    }),
  );
  grpc.register(cluster.MemberRemove, (req) =>
    mapErrors(async () => {
      const members = await server.memberRemove(toId(req.ID));
      return { header: responseHeader(server), members: members.map(wireMember) };
    }),
  );
  grpc.register(cluster.MemberUpdate, (req) =>
    mapErrors(async () => {
      const urls = req.peerURLs ?? [];
      if (!validPeerUrls(urls)) throw badUrls();
      const members = await server.memberUpdate(toId(req.ID), urls);
      return { header: responseHeader(server), members: members.map(wireMember) };
    }),
  );
  grpc.register(cluster.MemberPromote, (req) =>
    mapErrors(async () => {
      const members = await server.memberPromote(toId(req.ID));
      return { header: responseHeader(server), members: members.map(wireMember) };
    }),
  );
}
