// One client port for everything: gRPC, the JSON gateway, /health, /metrics, /version (and
// later v2), over HTTP/1.1 and HTTP/2, cleartext or TLS, TCP or unix socket.
//
//   const gateway = new JsonGateway({ grpc, maxConcurrentStreams });
//   const router = new HttpRouter()
//     .handle("/health", healthHandler)
//     .handle("/v3/", gateway.serve)
//     .handle("/v3beta/", gateway.serve);
//   const listener = await listen("http://127.0.0.1:2379", { grpc, http: router.serve, maxConcurrentStreams });
//   ...
//   await listener.close(graceMs);
//
// TLS is configuration: an https:// or unixs:// URL plus `tls` (node:tls server options such
// as key, cert, ca, requestCert); ALPN then picks HTTP/2 or HTTP/1.1 per connection and
// handlers see the client's certificate through ctx.peerCertificate(). Router guards run
// before routing (CORS headers, host allow-lists, OPTIONS) and may answer a request themselves.
export { type GatewayOptions, JsonGateway } from "./gateway.js";
export { gatewayRoutes } from "./gateway-routes.js";
export {
  type ClientListener,
  type GrpcFraming,
  type ListenerOptions,
  type ListenerTls,
  listen,
  parseClientUrl,
} from "./listener.js";
export {
  type HttpGuard,
  type HttpHandler,
  type HttpRequest,
  type HttpResponse,
  HttpRouter,
  requestPath,
  sendText,
} from "./router.js";
