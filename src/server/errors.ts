// Errors of the server layer, with etcd's exact messages (etcdserver/errors.go).
// api/v3 maps each kind to its gRPC code and client-facing text in one table.

const messages = {
  unknownMethod: "etcdserver: unknown method",
  stopped: "etcdserver: server stopped",
  canceled: "etcdserver: request cancelled",
  timeout: "etcdserver: request timed out",
  timeoutDueToLeaderFail: "etcdserver: request timed out, possibly due to previous leader failure",
  timeoutDueToConnectionLost: "etcdserver: request timed out, possibly due to connection lost",
  timeoutWaitAppliedIndex: "etcdserver: request timed out, waiting for the applied index took too long",
  timeoutLeaderTransfer: "etcdserver: request timed out, leader transfer took too long",
  leaderChanged: "etcdserver: leader changed",
  notEnoughStartedMembers: "etcdserver: re-configuration failed due to not enough started members",
  learnerNotReady: "etcdserver: can only promote a learner member which is in sync with leader",
  noLeader: "etcdserver: no leader",
  notLeader: "etcdserver: not leader",
  requestTooLarge: "etcdserver: request is too large",
  noSpace: "etcdserver: no space",
  tooManyRequests: "etcdserver: too many requests",
  unhealthy: "etcdserver: unhealthy cluster",
  keyNotFound: "etcdserver: key not found",
  corrupt: "etcdserver: corrupt cluster",
  badLeaderTransferee: "etcdserver: bad leader transferee",
  // membership (etcdserver/api/membership/errors.go)
  memberIdRemoved: "membership: ID removed",
  memberIdNotFound: "membership: ID not found",
  memberIdExists: "membership: ID exists",
  peerUrlExists: "membership: peerURL exists",
  memberNotLearner: "membership: can only promote a learner member",
  tooManyLearners: "membership: too many learner members in cluster",
  // tetcd's own: a lone member cannot take a voting peer until the peer transport exists
  noPeerTransport:
    "etcdserver: adding a voting member needs the peer transport, which tetcd does not have yet",
} as const;

export type ServerErrorKind = keyof typeof messages;

export class ServerError extends Error {
  constructor(readonly kind: ServerErrorKind) {
    super(messages[kind]);
    this.name = "ServerError";
  }
}

export function isServerError(error: unknown, kind?: ServerErrorKind): error is ServerError {
  return error instanceof ServerError && (kind === undefined || error.kind === kind);
}
