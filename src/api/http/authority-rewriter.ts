// Rewrites the :authority and host values nghttp2 would reject in a connection's request
// header blocks (grpc-go sends "http://host:port" when dialed with a URL), so node's HTTP/2
// server accepts the requests.
//
// A rewritten value keeps its length in octets and is re-encoded as a plain (non-Huffman)
// literal with the same representation and name reference. HPACK counts dynamic table
// entries by decoded length, so the server's table stays in step with the client's encoder
// and every later index still points where the client meant; only the value differs.
import assert from "node:assert";
import { isAuthorityName, isValidAuthority, sanitizeAuthority } from "./authority.js";
import { HpackDecoder } from "./hpack.js";

export interface RewrittenBlock {
  /** The block to forward: the input itself when nothing needed rewriting. */
  readonly block: Buffer;
  /** [name, value] as the client sent them, for each field the server sees sanitized. */
  readonly originals: readonly (readonly [string, string])[];
}

/** One per connection: header blocks must be given in the order the client sent them. */
export class AuthorityRewriter {
  readonly #decoder: HpackDecoder;

  constructor(settingsMaxSize?: number) {
    this.#decoder = new HpackDecoder(settingsMaxSize);
  }

  /** Throws HpackError for a block nghttp2 could not decode either. */
  rewrite(block: Buffer): RewrittenBlock {
    const originals: [string, string][] = [];
    const parts: Buffer[] = [];
    let copied = 0;
    for (const field of this.#decoder.decode(block)) {
      if (!isAuthorityName(field.name) || isValidAuthority(field.value)) continue;
      originals.push([field.name.toString("latin1"), field.value.toString("latin1")]);
      // An indexed field names an entry the server stored sanitized when it was added.
      if (field.representation === "indexed") continue;
      const sanitized = sanitizeAuthority(field.value);
      assert(sanitized.length === field.value.length);
      parts.push(block.subarray(copied, field.valueStart), rawStringLiteral(sanitized));
      copied = field.end;
    }
    if (parts.length === 0) return { block, originals };
    parts.push(block.subarray(copied));
    return { block: Buffer.concat(parts), originals };
  }
}

/** A string literal without Huffman coding (RFC 7541 5.2): 7-bit-prefix length, octets. */
function rawStringLiteral(value: Buffer): Buffer {
  const length: number[] = [];
  if (value.length < 0x7f) {
    length.push(value.length);
  } else {
    length.push(0x7f);
    let rest = value.length - 0x7f;
    while (rest >= 0x80) {
      length.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    length.push(rest);
  }
  return Buffer.concat([Buffer.from(length), value]);
}
