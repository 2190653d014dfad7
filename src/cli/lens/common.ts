// What every lens command shares: the k8s group's flags (encryption keys, the apiserver's
// --etcd-prefix), the output form chosen with -w, a connected KvReader, and lens errors
// turned into etcdctl-style "Error: ..." lines with etcdctl's exit codes.
import { Client } from "../../client/index.js";
import type { Decryptor, KvReader, LensOptions } from "../../k8s/index.js";
import {
  COMPACTED_MESSAGE,
  CompactedError,
  DEFAULT_REGISTRY_PREFIX,
  EncodeError,
  EncryptionConfig,
  EncryptionConfigError,
  isCompactedError,
  oldestReadableRevision,
  UnknownResourceError,
} from "../../k8s/index.js";
import type { RunContext } from "../command.js";
import type { FlagSpec } from "../flags.js";
import { bool, type ClientSettings, clientConfig, clientSettings, commandTimeout, str } from "../global.js";
import { Exit, ExitCode, processIo } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { clientKvReader } from "./kv-reader.js";
import { closeResources } from "./suggest.js";

export const ENCRYPTION_CONFIG_FLAG: FlagSpec = {
  name: "encryption-config",
  kind: "string",
  default: "",
  usage: "kube-apiserver's EncryptionConfiguration file, to decrypt values encrypted at rest",
};

export const ETCD_PREFIX_FLAG: FlagSpec = {
  name: "etcd-prefix",
  kind: "string",
  default: DEFAULT_REGISTRY_PREFIX,
  usage: "the key prefix kube-apiserver stores objects under (its --etcd-prefix)",
};

export const PROGRESS_FLAG: FlagSpec = {
  name: "progress",
  kind: "bool",
  default: "false",
  usage: "report progress on stderr (the default when stderr is a terminal)",
};

/** The output forms of the lens; each command picks which -w names map to which form. */
export type LensForm = "simple" | "table" | "yaml" | "json" | "jsonl";

/**
 * The form for -w: `simple` (etcdctl's default) is each command's natural form. Formats
 * the command has no form for end with etcdctl's exit code for an unsupported format.
 */
export function lensForm(ctx: RunContext, accepted: readonly LensForm[]): LensForm {
  const name = str(ctx, "write-out");
  const form = accepted.find((f) => f === name);
  if (form) return form;
  return exitWithError(
    ctx.io,
    ExitCode.BadFeature,
    `${name} is not an output format of "${ctx.cmd.path.replace(/^\S+ /, "")}" (use ${accepted.join(", ")})`,
  );
}

/** The decryptor from --encryption-config, if given (exit 128 when it cannot be used). */
export function loadDecryptor(ctx: RunContext): EncryptionConfig | undefined {
  const path = str(ctx, "encryption-config");
  if (!path) return undefined;
  try {
    return EncryptionConfig.fromFile(path);
  } catch (err) {
    const why = err instanceof EncryptionConfigError ? err.message : (err as Error).message;
    return exitWithError(ctx.io, ExitCode.BadArgs, `--encryption-config ${path}: ${why}`);
  }
}

export function lensOptions(
  ctx: RunContext,
  decryptor: Decryptor | undefined,
): LensOptions & { registry: string } {
  const registry = ctx.flags.lookup("etcd-prefix") ? str(ctx, "etcd-prefix") : DEFAULT_REGISTRY_PREFIX;
  return { registry: registry.replace(/\/+$/, ""), ...(decryptor ? { decryptor } : {}) };
}

export interface Session {
  client: Client;
  reader: KvReader;
}

/**
 * Connects as etcdctl does (global flags, ETCDCTL_* variables, exit 2 when the dial
 * fails), runs `fn` with a reader, and turns lens errors into etcdctl-style exits.
 */
export async function withSession(
  ctx: RunContext,
  forms: readonly LensForm[],
  fn: (s: Session, form: LensForm) => Promise<void>,
): Promise<void> {
  const settings = await clientSettings(ctx, [], { acceptFormats: forms });
  const form = lensForm(ctx, forms);
  const client = await connectQuietly(settings, ctx);
  const reader = clientKvReader(client, {
    timeoutMs: commandTimeout(ctx).timeoutMs,
  });
  try {
    await fn({ client, reader }, form);
  } catch (err) {
    failLens(ctx, err);
  } finally {
    client.close();
  }
}

/**
 * etcdctl's connect (exit 2 when the dial fails), but without clientv3's retry warning
 * for reads below the compaction point: the lens probes for the oldest readable revision
 * on purpose, and says what it found.
 */
async function connectQuietly(settings: ClientSettings, ctx: RunContext): Promise<Client> {
  const config = clientConfig(settings, ctx.io);
  const warn = config.onRetryFailure;
  config.onRetryFailure = (f) => {
    if (!f.error.includes("has been compacted")) warn?.(f);
  };
  try {
    return await Client.connect(config);
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.BadConnection, err);
  }
}

/** A lens failure as "Error: ..." and etcdctl's exit code; bugs (assertions) still crash. */
export function failLens(ctx: RunContext, err: unknown): never {
  if (err instanceof Exit) throw err;
  if (err instanceof Error && err.name === "AssertionError") throw err;
  if (err instanceof UnknownResourceError) {
    const close = closeResources(err.input);
    const hint =
      close.length > 0
        ? `\n\nDid you mean this?\n${close.map((c) => `\t${c}\n`).join("")}`
        : "\n\nList what is stored with 'tetcdctl k8s ls'; name custom resources as <plural>.<group>.\n";
    ctx.io.err(`Error: ${err.message}${hint}`);
    throw new Exit(ExitCode.BadArgs);
  }
  if (err instanceof EncodeError) return exitWithError(ctx.io, ExitCode.InvalidInput, err);
  // Not found, compacted, server and connection errors: etcdctl's general failure.
  return exitWithError(ctx.io, ExitCode.Error, err);
}

export function stderrIsTerminal(ctx: RunContext): boolean {
  return ctx.io === processIo && process.stderr.isTTY === true;
}

/** Whether to report progress: asked for, or stderr is a terminal (scripts stay clean). */
export function wantProgress(ctx: RunContext): boolean {
  return bool(ctx, "progress") || stderrIsTerminal(ctx);
}

/**
 * A read at `revision` that failed for compaction, restated with the oldest revision that
 * can still be read (found by a binary search of cheap reads); other errors unchanged.
 */
export async function explainCompaction(reader: KvReader, err: unknown, revision: number): Promise<unknown> {
  if (!isCompactedError(err) || revision <= 0) return err;
  const probe = Buffer.from("/");
  try {
    const head = (await reader.range(probe, undefined, { keysOnly: true })).revision;
    const oldest = await oldestReadableRevision(reader, probe, head);
    const e = new CompactedError(oldest);
    e.message = `${COMPACTED_MESSAGE}: revision ${revision} is gone, the oldest readable revision is ${oldest}`;
    return e;
  } catch {
    return err;
  }
}
