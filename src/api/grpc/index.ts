// tetcd's own gRPC server (see DESIGN.md for why). Connections whose first request is gRPC
// are framed by tetcd itself (src/api/http/h2-connection.ts), because node:http2 sends a
// unary call's trailers one event-loop turn after its message, in a second write; measured
// on etcd's put-1 benchmark that costs about 130 µs a call. Every other HTTP/2 connection is
// node:http2's, and a listener can send gRPC connections there too (grpcFraming: "node").
//
// Services register typed handlers for methods built from the generated descriptor:
//
//   const kv = serviceMethods("etcdserverpb.KV");
//   grpc.register(kv.Range, async (req, ctx) => ({ header: {...}, kvs: [...] }));
//   grpc.registerService("etcdserverpb.Watch", { Watch: async (call, ctx) => { for await (const req of call) ... } });
//
// Handlers: unary (req, ctx) => res; server streaming (req, out, ctx) => void, writing with
// out.write(msg) (false: await out.drained()); client streaming (requests, ctx) => res, where
// requests is an async iterable; bidi (call, ctx) => void, call being both. The call ends OK
// when the handler returns (resolves), with GrpcError's code and message when it throws one,
// UNKNOWN with the message for any other Error. An AssertionError also crashes the process.
// ctx.signal aborts on client cancellation, connection loss, deadline or an early end.
// ctx.metadata holds the request metadata, ctx.setHeader()/setTrailer() add response
// metadata; limits (message sizes, keepalive) are GrpcServerOptions, settable from etcd's flags.
//
// The HTTP/2 side (listener, routing by content-type) lives in src/api/http, which hands
// gRPC-first connections to GrpcServer.handleConnection(), and for node:http2's connections
// streams to handleStream() and sessions to handleSession(); the JSON gateway
// uses GrpcServer.startCall() to invoke a method in-process with bytes.
export type { CallLimits } from "./call.js";
export { peerAddress } from "./framed-call.js";
export type {
  BidiCall,
  BidiHandler,
  CallContext,
  ClientStreamHandler,
  HandlerFor,
  ServerStreamHandler,
  ServerWriter,
  ServiceHandlers,
  UnaryHandler,
} from "./handlers.js";
export { defaultKeepalive, type KeepaliveOptions } from "./keepalive.js";
export type { LocalCall, LocalCallListener, LocalCallOptions, ReceivedMetadata } from "./local-call.js";
export { type HeaderValues, Metadata } from "./metadata.js";
export {
  type AnyMethod,
  defineMethod,
  type MessageDecoder,
  type MessageEncoder,
  type Method,
  type MethodKind,
  withResponseEncoder,
} from "./method.js";
export { enableHandlingTimeHistogram, messageBytes } from "./metrics.js";
export { GrpcServer, type GrpcServerOptions, isGrpcRequest } from "./server.js";
export { allServices, type ServiceMethods, type ServiceName, serviceMethods } from "./services.js";
export { encodeGrpcMessage, GrpcError, type OutgoingMetadata, Status, statusName } from "./status.js";
export { parseGrpcTimeout } from "./timeout.js";
