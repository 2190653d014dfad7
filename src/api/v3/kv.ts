// The KV service: request checks, then the member, then the header.

import type { EtcdServer } from "../../server/index.js";
import { type GrpcServer, serviceMethods } from "../grpc/index.js";
import { mapErrors, validationError } from "./errors.js";
import { withHeader } from "./header.js";
import { checkDeleteRange, checkPut, checkRange, checkTxn, type ValidationError } from "./validate.js";

function check(error: ValidationError | undefined): void {
  if (error !== undefined) throw validationError(error);
}

export function registerKv(grpc: GrpcServer, server: EtcdServer): void {
  const kv = serviceMethods("etcdserverpb.KV");
  grpc.register(kv.Range, (req) => {
    check(checkRange(req));
    return mapErrors(async () => withHeader(server, await server.range(req)));
  });
  grpc.register(kv.Put, (req) => {
    check(checkPut(req));
    return mapErrors(async () => withHeader(server, await server.put(req)));
  });
  grpc.register(kv.DeleteRange, (req) => {
    check(checkDeleteRange(req));
    return mapErrors(async () => withHeader(server, await server.deleteRange(req)));
  });
  grpc.register(kv.Txn, (req) => {
    check(checkTxn(req, server.maxTxnOps));
    return mapErrors(async () => withHeader(server, await server.txn(req)));
  });
  grpc.register(kv.Compact, (req) => mapErrors(async () => withHeader(server, await server.compact(req))));
}
