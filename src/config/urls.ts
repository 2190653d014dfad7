// etcd's URL lists (`types.NewURLs`): comma-separated, each parsed as Go's net/url does
// for these shapes, scheme http/https/unix/unixs, "host:port", no path; sorted. Error
// texts are etcd's and Go's, because users and tests match on them.
import { isIP } from "node:net";
import { FlagValueError, goQuote } from "./gosyntax.js";

export type UrlScheme = "http" | "https" | "unix" | "unixs";

/** A parsed etcd URL. `href` is Go's `url.String()`, the form etcd shows and stores. */
export interface EtcdUrl {
  readonly href: string;
  readonly scheme: UrlScheme;
  /** "host:port" as written: "127.0.0.1:2379", "[::1]:2379", "etcd.unix:1". */
  readonly host: string;
  /** The host without port or brackets: "127.0.0.1", "::1", "localhost". */
  readonly hostname: string;
  /** The port text ("" when written as "host:"). */
  readonly port: string;
}

interface GoUrl {
  scheme: string;
  userinfo: string | undefined;
  host: string;
  path: string;
  opaque: string;
  query: string | undefined;
  fragment: string | undefined;
}

/** Go's url.Parse for the shapes etcd meets; throws with Go's `parse "...": ...` messages. */
function goParse(raw: string): GoUrl {
  const fail = (why: string) => new FlagValueError(`parse ${goQuote(raw)}: ${why}`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go rejects ASCII control characters
  if (/[\x00-\x1f\x7f]/.test(raw)) throw fail("net/url: invalid control character in URL");
  let rest = raw;
  let fragment: string | undefined;
  const hash = rest.indexOf("#");
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  // Scheme: a letter, then letters, digits, + - . up to the colon.
  let scheme = "";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(":")) {
    throw fail("missing protocol scheme");
  }
  let query: string | undefined;
  const q = rest.indexOf("?");
  if (q >= 0) [rest, query] = [rest.slice(0, q), rest.slice(q + 1)];
  const url: GoUrl = { scheme, userinfo: undefined, host: "", path: "", opaque: "", query, fragment };
  if (!rest.startsWith("/")) {
    if (scheme !== "") {
      url.opaque = rest;
      return url;
    }
    const colon = rest.indexOf(":");
    const slash = rest.indexOf("/");
    if (colon >= 0 && (slash < 0 || colon < slash))
      throw fail("first path segment in URL cannot contain colon");
  }
  if (rest.startsWith("//") && (scheme !== "" || !rest.startsWith("///"))) {
    const end = rest.indexOf("/", 2);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      url.userinfo = authority.slice(0, at);
      authority = authority.slice(at + 1);
    }
    url.host = parseHost(authority, fail);
  }
  url.path = rest;
  return url;
}

function parseHost(host: string, fail: (why: string) => Error): string {
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) throw fail("missing ']' in host");
    const port = host.slice(close + 1);
    if (!/^(:\d*)?$/.test(port)) throw fail(`invalid port ${goQuote(port)} after host`);
    return host;
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0) {
    const port = host.slice(colon);
    if (!/^:\d*$/.test(port)) throw fail(`invalid port ${goQuote(port)} after host`);
  }
  const bad = /[^A-Za-z0-9\-._~!$&'()*+,;=:%]/.exec(host);
  if (bad) throw fail(`invalid character ${goQuote(bad[0])} in host name`);
  return host;
}

function goString(u: GoUrl): string {
  let s = u.scheme === "" ? "" : `${u.scheme}:`;
  if (u.opaque !== "") s += u.opaque;
  else {
    if (u.scheme !== "" || u.host !== "" || u.userinfo !== undefined) {
      s += "//";
      if (u.userinfo !== undefined) s += `${u.userinfo}@`;
      s += u.host;
    }
    s += u.path;
  }
  if (u.query !== undefined) s += `?${u.query}`;
  if (u.fragment !== undefined) s += `#${u.fragment}`;
  return s;
}

/** Go's net.SplitHostPort, undefined where Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  if (hostport.startsWith("[")) {
    const m = /^\[([^\][]*)\]:([^:]*)$/.exec(hostport);
    return m ? { host: m[1]!, port: m[2]! } : undefined;
  }
  const colon = hostport.lastIndexOf(":");
  if (colon < 0) return undefined;
  const host = hostport.slice(0, colon);
  if (host.includes(":") || host.includes("[") || host.includes("]")) return undefined;
  return { host, port: hostport.slice(colon + 1) };
}

/** One URL as `types.NewURLs` checks it. */
export function parseEtcdUrl(text: string): EtcdUrl {
  const input = text.trim();
  const u = goParse(input);
  if (u.scheme !== "http" && u.scheme !== "https" && u.scheme !== "unix" && u.scheme !== "unixs") {
    throw new FlagValueError(`URL scheme must be http, https, unix, or unixs: ${input}`);
  }
  const hp = splitHostPort(u.host);
  if (hp === undefined) throw new FlagValueError(`URL address does not have the form "host:port": ${input}`);
  if (u.path !== "" || u.opaque !== "") throw new FlagValueError(`URL must not contain a path: ${input}`);
  return Object.freeze({
    href: goString(u),
    scheme: u.scheme,
    host: u.host,
    hostname: hp.host,
    port: hp.port,
  });
}

/** A comma-separated list, sorted by text as etcd sorts it, duplicates dropped. */
export function parseEtcdUrls(text: string): readonly EtcdUrl[] {
  const byHref = new Map<string, EtcdUrl>();
  for (const part of text.split(",")) {
    const url = parseEtcdUrl(part);
    byHref.set(url.href, url);
  }
  return Object.freeze([...byHref.values()].sort((a, b) => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0)));
}

/** etcd's checkBindURLs: a listen URL must name an IP address or localhost. */
export function checkBindUrls(urls: readonly EtcdUrl[]): string | undefined {
  for (const url of urls) {
    if (url.scheme === "unix" || url.scheme === "unixs") continue;
    if (url.hostname === "localhost") continue;
    if (isIP(url.hostname) === 0) return `expected IP in URL for binding (${url.href})`;
  }
  return undefined;
}

/** etcd's checkHostURLs: an advertised URL must name a host. */
export function checkHostUrls(urls: readonly EtcdUrl[]): string | undefined {
  for (const url of urls) {
    if (url.hostname === "") return `unexpected empty host (${url.href})`;
  }
  return undefined;
}

/** `types.NewURLsMap`: "name=url,name=url2,other=url3" grouped by name. */
export function parseUrlsMap(text: string): ReadonlyMap<string, readonly EtcdUrl[]> {
  const grouped = new Map<string, string[]>();
  for (const pair of text.split(",")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const [name, url] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    grouped.set(name, [...(grouped.get(name) ?? []), url]);
  }
  const out = new Map<string, readonly EtcdUrl[]>();
  for (const [name, urls] of grouped) out.set(name, parseEtcdUrls(urls.join(",")));
  return out;
}
