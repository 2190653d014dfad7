// An object file (YAML or JSON) read the way kubectl reads one: YAML 1.1 scalars as
// go-yaml resolves them (yes/no/on/off are booleans, 0755 is octal) except timestamps
// and base-60 numbers, which go-yaml keeps as strings; integers beyond 2^53 stay exact.
import { parseAllDocuments } from "yaml";
import type { JsonObject, JsonValue } from "../../k8s/index.js";

export class ObjectFileError extends Error {
  override name = "ObjectFileError";
}

/** YAML 1.1 tags go-yaml does not apply (their scalars stay strings). */
const NOT_GO_YAML = new Set(["timestamp", "intTime", "floatTime", "tag:yaml.org,2002:timestamp"]);

/** The one object in `text`; ObjectFileError saying what is wrong otherwise. */
export function parseObjectFile(text: string): JsonObject {
  const objects = readYamlObjects(text);
  if (objects.length !== 1) {
    throw new ObjectFileError(`expected one object, found ${objects.length} YAML documents`);
  }
  return objects[0]!;
}

/** Every object of a YAML stream (empty documents skipped), read as kubectl reads them. */
export function readYamlObjects(text: string): JsonObject[] {
  const docs = parseAllDocuments(text, {
    version: "1.1",
    intAsBigInt: true,
    customTags: (tags) =>
      tags.filter((t) =>
        typeof t === "string" ? !NOT_GO_YAML.has(t) : !NOT_GO_YAML.has(t.tag) && t.format !== "TIME",
      ),
  });
  if (!Array.isArray(docs)) throw new ObjectFileError("not YAML");
  return docs
    .filter((d) => d.contents !== null)
    .map((doc) => {
      if (doc.errors.length > 0) throw new ObjectFileError(doc.errors[0]!.message);
      const value = toJson(doc.toJS({ maxAliasCount: 100 }), "");
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new ObjectFileError("expected an object (a YAML mapping) with apiVersion, kind and metadata");
      }
      return value;
    });
}

function toJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ObjectFileError(`${path || "."}: ${value} is not a JSON number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${path}[${i}]`));
  // !!binary: Kubernetes writes bytes as base64 strings.
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Map || value instanceof Set) {
    throw new ObjectFileError(`${path || "."}: expected a mapping with string keys`);
  }
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, path ? `${path}.${k}` : k);
    return out;
  }
  throw new ObjectFileError(`${path || "."}: unsupported YAML value`);
}
