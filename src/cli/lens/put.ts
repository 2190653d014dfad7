// k8s put [KEY] -f FILE [--dry-run]: an edited object (YAML or JSON) encoded back into the
// bytes kube-apiserver stores, for repairs. Unknown fields and wrong types are refused with
// their path; the write is guarded by the mod revision that was read (and by the object's
// resourceVersion when it has one), keeps the key's lease, and re-encrypts when the
// EncryptionConfiguration says the apiserver would.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Client, KeyValue } from "../../client/index.js";
import type { EncryptionConfig, JsonObject } from "../../k8s/index.js";
import {
  decodeValue,
  diffObjects,
  encodeObject,
  isJsonObject,
  messageOf,
  objectKey,
  parseEncryptedPrefix,
  parseKey,
  resolveResource,
  resourceName,
  schema,
  splitApiVersion,
  withoutResourceVersion,
} from "../../k8s/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { bool, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { lensOptions, loadDecryptor, withSession } from "./common.js";
import { ObjectFileError, parseObjectFile } from "./object-file.js";

type StoreFormat = "protobuf" | "json";

async function readObject(ctx: RunContext, file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = file === "-" ? (await ctx.readStdin()).toString("utf8") : readFileSync(file, "utf8");
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.InvalidInput, `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return parseObjectFile(text);
  } catch (err) {
    const why = err instanceof ObjectFileError ? err.message : (err as Error).message;
    return exitWithError(ctx.io, ExitCode.InvalidInput, `${file}: ${why}`);
  }
}

function field(obj: JsonObject, name: string): string {
  const meta = obj.metadata;
  const v = isJsonObject(meta) ? meta[name] : undefined;
  return typeof v === "string" ? v : "";
}

/** The key an object is stored under, from its apiVersion, kind, namespace and name. */
function keyOf(ctx: RunContext, obj: JsonObject, registry: string): string {
  const { apiVersion, kind } = obj;
  const name = field(obj, "name");
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !name) {
    return exitWithError(
      ctx.io,
      ExitCode.InvalidInput,
      "the object needs apiVersion, kind and metadata.name",
    );
  }
  const { group } = splitApiVersion(apiVersion);
  const info = resolveResource(group ? `${kind}.${group}` : kind);
  if (!info.builtIn) {
    return exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      `${kind} (${apiVersion}) is not a built-in kind: give its KEY (/registry/<group>/<plural>/[<namespace>/]<name>)`,
    );
  }
  const ns = field(obj, "namespace");
  if (info.namespaced && !ns) {
    return exitWithError(
      ctx.io,
      ExitCode.InvalidInput,
      `${resourceName(info)} are namespaced: set metadata.namespace`,
    );
  }
  return objectKey(info, info.namespaced ? ns : undefined, name, registry);
}

/** The key must be the object's own: a repair does not move objects. */
function checkKeyMatches(ctx: RunContext, key: string, obj: JsonObject, registry: string): void {
  const parsed = parseKey(key, registry);
  if (!parsed) return;
  const name = field(obj, "name");
  const ns = field(obj, "namespace");
  if (parsed.name !== name || parsed.namespace !== ns) {
    exitWithError(
      ctx.io,
      ExitCode.InvalidInput,
      `${key} holds ${parsed.namespace ? `${parsed.namespace}/` : ""}${parsed.name}, but the object is ${ns ? `${ns}/` : ""}${name}`,
    );
  }
}

function chooseFormat(ctx: RunContext, obj: JsonObject, current: KeyValue | undefined): StoreFormat {
  const flag = str(ctx, "format");
  if (flag === "protobuf" || flag === "json") return flag;
  if (flag !== "auto") {
    return exitWithError(ctx.io, ExitCode.BadArgs, `--format is protobuf, json or auto, not ${flag}`);
  }
  const stored = current ? decodeValue(current.value).format : undefined;
  if (stored === "protobuf" || stored === "json") return stored;
  const { apiVersion, kind } = obj;
  const known =
    typeof apiVersion === "string" && typeof kind === "string" && messageOf(schema(), apiVersion, kind);
  return known ? "protobuf" : "json";
}

async function putCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length > 1) exitWithError(ctx.io, ExitCode.BadArgs, "k8s put takes at most one KEY");
  const file = str(ctx, "file");
  if (!file)
    exitWithError(ctx.io, ExitCode.BadArgs, "k8s put needs -f FILE (a YAML or JSON object; - for stdin)");
  const obj = await readObject(ctx, file);
  const config = loadDecryptor(ctx);
  await withSession(ctx, ["simple"], async ({ client }) => {
    const { registry } = lensOptions(ctx, config);
    const key = ctx.args[0] ?? keyOf(ctx, obj, registry);
    checkKeyMatches(ctx, key, obj, registry);
    const current = (await client.get(key)).kvs[0];
    const encryptedNow = current ? parseEncryptedPrefix(current.value) : undefined;
    if (encryptedNow && !config) {
      exitWithError(
        ctx.io,
        ExitCode.BadArgs,
        `${key} is encrypted at rest (${encryptedNow.provider}, key ${encryptedNow.keyName}): pass --encryption-config so the repaired value is encrypted as the apiserver would`,
      );
    }
    const format = chooseFormat(ctx, obj, current);
    const plain = encodeObject(obj, { format });
    const value = config ? config.encrypt(plain, key) : plain;
    const summary = describeWrite(key, obj, value, format, current, config);
    if (bool(ctx, "dry-run")) {
      ctx.io.out(`${summary}dry run: nothing was written\n`);
      return;
    }
    const revision = await write(ctx, client, key, obj, value, current);
    ctx.io.out(`${summary}stored at revision ${revision}\n`);
  });
}

/** What the bytes are and what they change, before (or instead of) writing them. */
function describeWrite(
  key: string,
  obj: JsonObject,
  value: Buffer,
  format: StoreFormat,
  current: KeyValue | undefined,
  config: EncryptionConfig | undefined,
): string {
  const decrypt = config ? { decryptor: config } : {};
  const mine = decodeValue(value, { key, ...decrypt });
  const before = current ? decodeValue(current.value, { key, ...decrypt }) : undefined;
  const enc = parseEncryptedPrefix(value);
  const lines = [
    `key:        ${key}`,
    `format:     ${format === "protobuf" ? `protobuf (k8s\\0 envelope, ${String(obj.apiVersion)} ${String(obj.kind)})` : "json"}`,
    `encryption: ${enc ? `${enc.provider}, key ${enc.keyName}` : "none"}`,
    `size:       ${value.length} bytes${current ? ` (stored now: ${current.value.length} bytes, revision ${current.modRevision})` : " (new key)"}`,
    `sha256:     ${createHash("sha256").update(value).digest("hex")}`,
    `bytes:      ${hexPreview(value, 32)}`,
  ];
  // Fields the file left out come back with Kubernetes' defaults for value fields.
  const normalized = diffObjects(
    withoutResourceVersion(obj),
    withoutResourceVersion(mine.object ?? {}),
  ).summary;
  if (normalized.length > 0) {
    lines.push("as stored, the object reads back with:");
    for (const s of normalized) lines.push(`  ${s}`);
  }
  if (current) {
    const changes = diffObjects(
      withoutResourceVersion(before?.object ?? {}),
      withoutResourceVersion(mine.object ?? {}),
    ).summary;
    lines.push(changes.length > 0 ? "changes to the stored object:" : "no change to the stored object");
    for (const s of changes) lines.push(`  ${s}`);
  }
  return `${lines.join("\n")}\n`;
}

function hexPreview(b: Buffer, n: number): string {
  const hex = [...b.subarray(0, n)].map((x) => x.toString(16).padStart(2, "0")).join(" ");
  return b.length > n ? `${hex} …` : hex;
}

/** The put, only if the key is still as read (and as the object's resourceVersion says). */
async function write(
  ctx: RunContext,
  client: Client,
  key: string,
  obj: JsonObject,
  value: Buffer,
  current: KeyValue | undefined,
): Promise<number> {
  const readAt = current?.modRevision ?? 0;
  const rv = field(obj, "resourceVersion");
  const conflict = (now: string) => {
    const parsed = parseKey(key);
    const what = parsed ? `${resourceName(parsed.resource)} "${parsed.name}"` : `"${key}"`;
    return exitWithError(
      ctx.io,
      ExitCode.Error,
      `Operation cannot be fulfilled on ${what}: the object has been modified; please apply your changes to the latest version and try again (${now})`,
    );
  };
  if (rv && rv !== String(readAt))
    conflict(`stored at revision ${readAt}, the object says resourceVersion ${rv}`);
  const lease = current && current.lease !== 0n ? { lease: current.lease } : {};
  const r = await client.txn({
    compare: [{ key, target: "MOD", result: "=", value: readAt }],
    success: [{ type: "put", key, value, options: lease }],
  });
  if (!r.succeeded) conflict(`written again after revision ${readAt}`);
  return r.header?.revision ?? 0;
}

export const PUT_SPEC: CommandSpec = {
  use: "put [options] [key] -f <file>",
  short: "Encodes an object (YAML or JSON) into the bytes kube-apiserver stores, and writes it",
  long: `
For repairs: reads one object from FILE (YAML or JSON, as 'k8s get' prints it; - for
stdin), encodes it as kube-apiserver would (protobuf for built-in kinds, JSON for custom
resources; --format overrides; by default the key's current format is kept) and stores it.
Fields unknown to the schema and values of the wrong type are refused with their path.
Without KEY the key follows from apiVersion, kind, metadata.namespace and metadata.name.

The write succeeds only if the key still holds what was read (and, when the object has
metadata.resourceVersion, only if that is its current revision), keeps the key's lease,
and encrypts with --encryption-config as the apiserver would (a value encrypted now is
not written back without it). --dry-run prints what would be stored (format, size,
checksum, first bytes, the changes to the stored object) and writes nothing.

Examples:
  tetcdctl k8s get deploy default/web -w yaml > web.yaml   # edit web.yaml
  tetcdctl k8s put -f web.yaml --dry-run
  tetcdctl k8s put /registry/deployments/default/web -f web.yaml
`,
  flags: [
    {
      name: "file",
      shorthand: "f",
      kind: "string",
      default: "",
      usage: "the object (YAML or JSON; - for stdin)",
    },
    { name: "dry-run", kind: "bool", default: "false", usage: "print what would be stored; write nothing" },
    {
      name: "format",
      kind: "string",
      default: "auto",
      usage: "protobuf, json, or auto (the key's current format)",
    },
  ],
  run: putCommand,
};
