// `get` with the lens: `--decode` prints readable keys and decoded values in etcdctl's
// simple layout (key line, then the value, here as YAML); `-w yaml` prints a YAML stream,
// one document per key; `-w jsonl` one JSON object per key. `-w json` stays etcdctl's.
// The flags are hidden so etcdctl's help text stays byte for byte.
import type { KeyValue, RangeResponse } from "../../client/index.js";
import type { StoredObject } from "../../k8s/index.js";
import { decodeValue, parseKey, renderObject, toJsonText } from "../../k8s/index.js";
import type { RunContext } from "../command.js";
import type { FlagSpec } from "../flags.js";
import { bool, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { ENCRYPTION_CONFIG_FLAG, loadDecryptor } from "./common.js";
import { readableKey, yamlBody, yamlDocument } from "./render.js";

export const DECODE_GET_FLAGS: FlagSpec[] = [
  {
    name: "decode",
    kind: "bool",
    default: "false",
    usage: "decode Kubernetes values (and other values as text) and print keys readably",
    hidden: true,
  },
  { ...ENCRYPTION_CONFIG_FLAG, hidden: true },
];

/** -w values that mean "decode" for get. */
export const DECODE_FORMATS: readonly string[] = ["yaml", "jsonl"];

export type DecodeForm = "simple" | "yaml" | "jsonl";

/**
 * Whether this get decodes, and how (after the ETCDCTL_* variables were applied); exits
 * for combinations that cannot print decoded values.
 */
export function decodeForm(ctx: RunContext): DecodeForm | undefined {
  const format = str(ctx, "write-out");
  const decode = bool(ctx, "decode");
  const form = format === "yaml" || format === "jsonl" ? format : decode ? format : undefined;
  if (form === undefined) {
    if (str(ctx, "encryption-config")) {
      exitWithError(ctx.io, ExitCode.BadArgs, "--encryption-config needs --decode (or -w yaml, -w jsonl)");
    }
    return undefined;
  }
  if (form !== "simple" && form !== "yaml" && form !== "jsonl") {
    return exitWithError(
      ctx.io,
      ExitCode.BadFeature,
      `--decode prints -w simple, yaml or jsonl, not ${form} (-w json stays etcdctl's; readable JSON is -w jsonl)`,
    );
  }
  if (bool(ctx, "hex")) {
    exitWithError(ctx.io, ExitCode.BadArgs, "--hex prints raw bytes and cannot be combined with decoding");
  }
  if (bool(ctx, "print-value-only") && form !== "simple") {
    exitWithError(ctx.io, ExitCode.BadArgs, "print-value-only is only for `--write-out=simple`");
  }
  return form;
}

/** Prints a range response decoded. */
export function printDecoded(ctx: RunContext, resp: RangeResponse, form: DecodeForm): void {
  const decryptor = loadDecryptor(ctx);
  const keysOnly = bool(ctx, "keys-only");
  const valueOnly = bool(ctx, "print-value-only");
  const stored = (kv: KeyValue): StoredObject => {
    const key = kv.key.toString("utf8");
    return {
      key: readableKey(kv.key),
      parsed: parseKey(key),
      createRevision: kv.createRevision,
      modRevision: kv.modRevision,
      version: kv.version,
      size: kv.value.length,
      decoded: decodeValue(kv.value, {
        key: kv.key,
        modRevision: kv.modRevision,
        ...(decryptor ? { decryptor } : {}),
      }),
    };
  };
  resp.kvs.forEach((kv, i) => {
    if (form === "jsonl") {
      const line = keysOnly
        ? toJsonText({
            key: readableKey(kv.key),
            createRevision: kv.createRevision,
            modRevision: kv.modRevision,
          })
        : renderObject(stored(kv), "jsonl");
      ctx.io.out(`${line}\n`);
    } else if (form === "yaml") {
      ctx.io.out(keysOnly ? `- ${JSON.stringify(readableKey(kv.key))}\n` : yamlDocument(stored(kv)));
    } else {
      // Values span lines here: a blank line keeps one key-value apart from the next.
      if (i > 0 && !keysOnly) ctx.io.out("\n");
      if (!valueOnly) ctx.io.out(`${readableKey(kv.key)}\n`);
      if (!keysOnly) ctx.io.out(yamlBody(stored(kv).decoded));
    }
  });
}
