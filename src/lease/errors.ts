// Lease errors with etcd's exact messages; api/v3 maps them to gRPC codes.

export class ErrLeaseNotFound extends Error {
  constructor() {
    super("etcdserver: requested lease not found");
    this.name = "ErrLeaseNotFound";
  }
}

export class ErrLeaseExists extends Error {
  constructor() {
    super("etcdserver: lease already exists");
    this.name = "ErrLeaseExists";
  }
}

export class ErrLeaseTTLTooLarge extends Error {
  constructor() {
    super("etcdserver: too large lease TTL");
    this.name = "ErrLeaseTTLTooLarge";
  }
}

/** Renewals and expiry happen only on the leader ("primary" lessor). */
export class ErrNotPrimary extends Error {
  constructor() {
    super("not a primary lessor");
    this.name = "ErrNotPrimary";
  }
}
