// One client port for everything: gRPC, the JSON gateway, /health, /metrics, /version (and
// later v2), over HTTP/1.1 and HTTP/2, cleartext or TLS, TCP or unix socket.
//
//   const router = new HttpRouter().handle("/health", healthHandler);
//   const listener = await listen("http://127.0.0.1:2379", { grpc, http: router.serve });
export {
  type ClientListener,
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
