// etcd 3.4's metrics on prom-client's global registry, as typed handles the server
// updates, and the /metrics page rendered as etcd's Go client renders it. Importing this
// module registers every metric (etcd registers them at process start too).
export { type Counter, CounterFunc, CounterPair, type Gauge, GaugeFunc, type Histogram } from "./define.js";
export { diskMetrics } from "./disk.js";
export { formatGoFloat } from "./gofloat.js";
export { authMetrics, leaseMetrics } from "./lease.js";
export { mvccMetrics } from "./mvcc.js";
export { networkMetrics } from "./network.js";
export { handlerMetrics } from "./process.js";
export { grpcProxyMetrics } from "./proxy.js";
export { METRICS_CONTENT_TYPE, renderMetrics, renderRegistry } from "./render.js";
export { serverMetrics, setClusterVersion, setServerId, setServerVersion } from "./server.js";
export { v2Metrics } from "./v2.js";
