// tetcd as a library: an in-process member for programs and tests, the client, and the
// building blocks (wire types, the Raft core, the Kubernetes lens) for those who need them.

export { Client, type ClientConfig } from "./client/index.js";
export { type EmbeddedServer, type StartServerOptions, startServer } from "./embed/index.js";
export * as proto from "./proto/index.js";
