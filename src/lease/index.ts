// Leases: grant, revoke, keep-alive, expiry, and which keys each lease holds.
export { ErrLeaseExists, ErrLeaseNotFound, ErrLeaseTTLTooLarge, ErrNotPrimary } from "./errors.js";
export {
  type LeaseStatus,
  type LeaseWriter,
  Lessor,
  type LessorOptions,
  MAX_LEASE_TTL_SECONDS,
  type PersistedLease,
} from "./lessor.js";
