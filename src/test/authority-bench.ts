// Measures unary Range calls through @grpc/grpc-js against a running tetcd, to compare the
// listener's fast path (plain :authority) with the authority shim (URL :authority).
//
//   node dist/test/authority-bench.js --endpoint 127.0.0.1:2379 [--authority http://127.0.0.1:2379]
//     [--calls 20000] [--concurrency 1]
import { parseArgs } from "node:util";
import { client, unary } from "../api/grpc/testing.js";
import { etcdserverpb as pb } from "../proto/index.js";

const { values } = parseArgs({
  options: {
    endpoint: { type: "string" },
    authority: { type: "string" },
    calls: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "1" },
  },
});
if (values.endpoint === undefined) throw new Error("--endpoint host:port is required");
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);

const c = client(
  values.endpoint,
  values.authority === undefined ? {} : { "grpc.default_authority": values.authority },
);
const range = (): Promise<unknown> =>
  unary(c, "/etcdserverpb.KV/Range", pb.RangeRequest, pb.RangeResponse, { key: Buffer.from("bench") });

for (let i = 0; i < 500; i++) await range(); // warm up: connection, JIT
let next = 0;
const start = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < calls) await range();
  }),
);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
c.close();
console.log(
  JSON.stringify({
    authority: values.authority ?? values.endpoint,
    calls,
    concurrency,
    seconds: Number(seconds.toFixed(3)),
    callsPerSecond: Math.round(calls / seconds),
    microsPerCall: Number(((seconds * 1e6) / calls).toFixed(1)),
  }),
);
