// Routes plain HTTP requests (HTTP/1.1 or HTTP/2, anything that is not gRPC) by path, the
// way Go's http.ServeMux does for etcd: exact paths, and subtrees for patterns ending in "/",
// the longest pattern winning.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

/** A request on either protocol; node's http2 compatibility API mirrors node:http's. */
export type HttpRequest = IncomingMessage | Http2ServerRequest;
/** A response on either protocol. */
export type HttpResponse = ServerResponse | Http2ServerResponse;
/** Handles one request; written once, it serves HTTP/1.1 and HTTP/2 alike. */
export type HttpHandler = (req: HttpRequest, res: HttpResponse) => void;
/** Runs before routing; returns true when it has answered the request itself. */
export type HttpGuard = (req: HttpRequest, res: HttpResponse) => boolean;

/** Writes a complete plain-text response (Go's http.Error shape when `status` >= 400). */
export function sendText(res: HttpResponse, status: number, body: string): void {
  const bytes = Buffer.from(body);
  (res as ServerResponse).writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "x-content-type-options": "nosniff",
    "content-length": bytes.length,
  });
  (res as ServerResponse).end(bytes);
}

/** The path of a request URL, without the query. */
export function requestPath(req: HttpRequest): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

export class HttpRouter {
  readonly #exact = new Map<string, HttpHandler>();
  // Subtree patterns, longest first.
  #subtrees: [string, HttpHandler][] = [];
  #guards: HttpGuard[] = [];

  /**
   * Serves `pattern`: exactly that path, or (ending in "/") every path under it. A request for
   * a subtree's root without the slash is redirected to it, as Go's ServeMux does.
   */
  handle(pattern: string, handler: HttpHandler): this {
    if (!pattern.startsWith("/")) throw new Error(`http: pattern must start with "/": ${pattern}`);
    if (pattern.endsWith("/")) {
      if (this.#subtrees.some(([p]) => p === pattern))
        throw new Error(`http: multiple registrations for ${pattern}`);
      this.#subtrees.push([pattern, handler]);
      this.#subtrees.sort((a, b) => b[0].length - a[0].length);
    } else {
      if (this.#exact.has(pattern)) throw new Error(`http: multiple registrations for ${pattern}`);
      this.#exact.set(pattern, handler);
    }
    return this;
  }

  /** Adds a check run before routing (CORS, host allow-lists); it may answer the request itself. */
  guard(guard: HttpGuard): this {
    this.#guards.push(guard);
    return this;
  }

  /** Routes one request. */
  readonly serve: HttpHandler = (req, res) => {
    for (const guard of this.#guards) if (guard(req, res)) return;
    const path = requestPath(req);
    const exact = this.#exact.get(path);
    if (exact !== undefined) {
      exact(req, res);
      return;
    }
    if (this.#subtrees.some(([pattern]) => pattern === `${path}/`)) {
      const url = req.url ?? path;
      (res as ServerResponse).writeHead(301, { location: `${path}/${url.slice(path.length)}` });
      (res as ServerResponse).end();
      return;
    }
    for (const [pattern, handler] of this.#subtrees) {
      if (path.startsWith(pattern)) {
        handler(req, res);
        return;
      }
    }
    sendText(res, 404, "404 page not found\n");
  };
}
