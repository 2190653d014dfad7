// Request metadata as handlers see it: the request's headers minus HTTP/2 pseudo-headers and
// the headers gRPC reserves for itself; `-bin` keys carry base64 that decodes to bytes.

/** Header values as node:http2 delivers them (or as an in-process caller passes them). */
export type HeaderValues = Record<string, string | string[] | undefined>;

// grpc-go's isReservedHeader: these are the protocol's, not the application's.
const reserved = new Set([
  "content-type",
  "user-agent",
  "grpc-message-type",
  "grpc-encoding",
  "grpc-message",
  "grpc-status",
  "grpc-timeout",
  "grpc-status-details-bin",
  "te",
]);

/** Read-only request metadata. Keys are lower case. */
export class Metadata {
  readonly #headers: HeaderValues;

  constructor(headers: HeaderValues) {
    this.#headers = headers;
  }

  /** The first value of a text key, or undefined. */
  get(key: string): string | undefined {
    const value = this.#headers[key.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Every value of a text key. */
  getAll(key: string): string[] {
    const value = this.#headers[key.toLowerCase()];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  }

  /** The bytes of a `-bin` key (padded or unpadded base64), or undefined. */
  getBinary(key: string): Buffer | undefined {
    const value = this.get(key);
    return value === undefined ? undefined : Buffer.from(value, "base64");
  }

  /** Keys an application may read (pseudo-headers and gRPC's reserved headers left out). */
  keys(): string[] {
    return Object.keys(this.#headers).filter((k) => !isReservedHeader(k) && this.#headers[k] !== undefined);
  }

  /** Application metadata as a plain object (for logs and the JSON gateway). */
  toObject(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const key of this.keys()) out[key] = this.getAll(key);
    return out;
  }
}

export function isReservedHeader(key: string): boolean {
  return key.startsWith(":") || reserved.has(key);
}

/** Metadata with no keys. */
export const emptyMetadata = new Metadata({});
