// Which :authority (and host) values node's nghttp2 accepts on a request, and how to turn
// one it rejects into one it accepts without changing its length.
//
// nghttp2 checks them octet by octet against a table of RFC 3986 authority characters.
// Older versions (1.61, in Node 20) also allow '@'; newer ones do not, so neither do we:
// a value we call valid is valid for every nghttp2 Node may ship.

const ALLOWED = "!$%&'()*+,-.0123456789:;=ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~";

const VALID = new Uint8Array(256);
for (const c of ALLOWED) VALID[c.charCodeAt(0)] = 1;

/** The octet a rejected octet becomes. */
const REPLACEMENT = "_".charCodeAt(0);

/** Names nghttp2 checks with its authority table. */
export function isAuthorityName(name: Buffer): boolean {
  return name.length === AUTHORITY.length
    ? name.equals(AUTHORITY)
    : name.length === HOST.length && name.equals(HOST);
}

const AUTHORITY = Buffer.from(":authority");
const HOST = Buffer.from("host");

/** True if nghttp2 accepts the value as :authority (or host). */
export function isValidAuthority(value: Uint8Array): boolean {
  for (const octet of value) if (VALID[octet] !== 1) return false;
  return true;
}

/** The value with every octet nghttp2 rejects replaced: same length, always valid. */
export function sanitizeAuthority(value: Uint8Array): Buffer {
  const out = Buffer.from(value);
  for (let i = 0; i < out.length; i++) if (VALID[out[i]!] !== 1) out[i] = REPLACEMENT;
  return out;
}
