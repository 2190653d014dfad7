// etcd's wire types (generated static codecs) and the conversions our code needs at the
// boundary: 64-bit protobuf integers decode as `Long`; the rest of tetcd uses `number`
// for revisions, counts and TTLs (always far below 2^53) and `bigint` for 64-bit IDs
// (lease, member, cluster and request IDs use all 64 bits).
import { createRequire } from "node:module";
import Long from "long";
import type { INamespace } from "protobufjs";
import protobuf from "protobufjs/minimal.js";

protobuf.util.Long = Long;
protobuf.configure();

export {
  authpb,
  etcdserverpb,
  grpc,
  leasepb,
  mvccpb,
  raftpb,
  snappb,
  v3electionpb,
  v3lockpb,
  walpb,
} from "./gen/etcd.js";
export { GRPC_CODE_COUNT, grpcCodeName } from "./grpc-codes.js";
export { Long };

/**
 * Every .proto file as one JSON descriptor with the original (snake_case) field names: the
 * services with their methods and stream flags, for gRPC method tables and JSON reflection.
 */
export const descriptor = createRequire(import.meta.url)("./gen/descriptor.json") as INamespace;

/** A 64-bit integer as protobufjs may hold it. */
export type Int64 = number | Long | null | undefined;

/** A signed 64-bit field as a number (saturating beyond ±2^53, which only absurd input reaches). */
export function toNumber(value: Int64): number {
  if (value == null) return 0;
  if (typeof value === "number") return value;
  return value.toNumber();
}

/** A 64-bit ID field as an exact unsigned bigint. */
export function toId(value: Int64): bigint {
  if (value == null) return 0n;
  if (typeof value === "number") return BigInt.asUintN(64, BigInt(value));
  return BigInt.asUintN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
}

/** A signed 64-bit field as an exact bigint (lease IDs are int64 on the wire). */
export function toSignedId(value: Int64): bigint {
  return BigInt.asIntN(64, toId(value));
}

/** A bigint ID (signed or unsigned) as a Long for encoding. */
export function idToLong(id: bigint, unsigned = true): Long {
  const bits = BigInt.asUintN(64, id);
  return new Long(Number(bits & 0xffffffffn) | 0, Number(bits >> 32n) | 0, unsigned);
}
