// Endpoint strings as clientv3 accepts them: "host:port", "http://host:port",
// "https://host:port", "unix://path", "unixs://path". The scheme decides transport
// security: http and unix never use TLS, https and unixs always do, and a bare address
// uses TLS exactly when the client was configured with TLS.

export interface Endpoint {
  /** The string the user gave. */
  readonly raw: string;
  /** What grpc-js dials ("host:port" or "unix:path"). */
  readonly target: string;
  /** The host (or socket path) without scheme, as clientv3 shows it in targets. */
  readonly host: string;
  readonly secure: boolean;
}

export function parseEndpoint(raw: string, tlsConfigured: boolean): Endpoint {
  const m = /^([a-z]+):\/\/(.*)$/.exec(raw);
  if (!m) return { raw, target: raw, host: raw, secure: tlsConfigured };
  const scheme = m[1] as string;
  const rest = m[2] as string;
  switch (scheme) {
    case "http":
      return { raw, target: hostPort(rest), host: hostPort(rest), secure: false };
    case "https":
      return { raw, target: hostPort(rest), host: hostPort(rest), secure: true };
    case "unix":
      return { raw, target: `unix:${rest}`, host: rest, secure: false };
    case "unixs":
      return { raw, target: `unix:${rest}`, host: rest, secure: true };
    default:
      return { raw, target: raw, host: raw, secure: false };
  }
}

/** Drops any path after host:port ("http://h:1/x" dials h:1). */
function hostPort(rest: string): string {
  const slash = rest.indexOf("/");
  return slash === -1 ? rest : rest.slice(0, slash);
}
