// k8s get RESOURCE [NS/]NAME: one stored object, decoded, found by the names kubectl uses
// (nodes are stored as minions, services as services/specs, custom resources under
// <group>/<resource>).
import type { StoredObject } from "../../k8s/index.js";
import {
  getKey,
  NotFoundError,
  objectKey,
  renderDecoded,
  renderObject,
  resolveResource,
  resourceName,
} from "../../k8s/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { num, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { explainCompaction, lensOptions, loadDecryptor, withSession } from "./common.js";
import { describeStored } from "./render.js";

const GET_USAGE =
  "k8s get needs RESOURCE and NAME (or NAMESPACE/NAME); to list objects use 'k8s ls RESOURCE'";

/**
 * The etcd key of an object named as for kubectl: NAME, NS/NAME or -n NS; a namespaced
 * object without a namespace is in "default".
 */
export function objectKeyOf(ctx: RunContext, resource: string, name: string, registry: string): string {
  const info = resolveResource(resource);
  const flagNs = str(ctx, "namespace");
  const slash = name.indexOf("/");
  const ns = slash >= 0 ? name.slice(0, slash) : flagNs;
  const bare = slash >= 0 ? name.slice(slash + 1) : name;
  if (!bare) exitWithError(ctx.io, ExitCode.BadArgs, GET_USAGE);
  if (slash >= 0 && flagNs && flagNs !== ns) {
    exitWithError(ctx.io, ExitCode.BadArgs, `namespace ${ns} in ${name} differs from -n ${flagNs}`);
  }
  if (!info.namespaced && ns) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      `${resourceName(info)} are not namespaced: name one without a namespace`,
    );
  }
  return objectKey(info, info.namespaced ? ns || "default" : undefined, bare, registry);
}

async function getCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 2) exitWithError(ctx.io, ExitCode.BadArgs, GET_USAGE);
  const [resource, name] = ctx.args as [string, string];
  const decryptor = loadDecryptor(ctx);
  await withSession(ctx, ["simple", "yaml", "json", "jsonl", "table"], async ({ reader }, form) => {
    const rev = num(ctx, "rev");
    const opts = lensOptions(ctx, decryptor);
    const key = objectKeyOf(ctx, resource, name, opts.registry);
    let obj: StoredObject | undefined;
    try {
      obj = await getKey(reader, key, { ...opts, ...(rev > 0 ? { revision: rev } : {}) });
    } catch (err) {
      throw await explainCompaction(reader, err, rev);
    }
    if (!obj)
      throw new NotFoundError(resourceName(resolveResource(resource)), key.slice(key.lastIndexOf("/") + 1));
    ctx.io.out(render(obj, form));
  });
}

function render(obj: StoredObject, form: string): string {
  switch (form) {
    case "simple":
      return `# ${describeStored(obj)}\n${renderObject(obj, "yaml")}`;
    case "json":
      return renderDecoded(obj.decoded, "json");
    case "jsonl":
      return `${renderObject(obj, "jsonl")}\n`;
    case "table":
      return renderObject(obj, "table");
    default:
      return renderObject(obj, "yaml");
  }
}

export const GET_SPEC: CommandSpec = {
  use: "get [options] <resource> <[namespace/]name>",
  short: "Gets one stored object, decoded as kubectl shows it",
  long: `
Reads one object from etcd and decodes it (protobuf, JSON or YAML; encrypted values with
--encryption-config) into what 'kubectl get -o yaml' shows. RESOURCE is named as kubectl
names it (po, pods, deploy, nodes, svc, crontabs.stable.example.com); a namespaced object
without a namespace is looked up in "default".

Output: -w simple (YAML with a comment saying where it is stored; default), yaml, json
(as 'kubectl get -o json'), jsonl (one line with the key and revisions), table.

Examples:
  tetcdctl k8s get pods kube-system/coredns-7db6d8ff4d-x2x7m
  tetcdctl k8s get node worker-1 -w json
  tetcdctl k8s get secrets -n prod db-password --encryption-config /etc/kubernetes/enc.yaml
`,
  flags: [
    { name: "namespace", shorthand: "n", kind: "string", default: "", usage: "the object's namespace" },
    { name: "rev", kind: "int64", default: "0", usage: "read as of this revision (0: the latest)" },
  ],
  run: getCommand,
};
