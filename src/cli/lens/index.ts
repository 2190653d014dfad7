// The Kubernetes lens in tetcdctl: the `k8s` command group (ls, get, history, changes,
// put) and `get --decode` / `-w yaml` / `-w jsonl`, over src/k8s's library and a KvReader
// made from tetcd's client. Hidden from etcdctl's help so its text stays byte for byte;
// `tetcdctl k8s --help` documents it.
import type { CommandSpec } from "../command.js";
import { CHANGES_SPEC } from "./changes.js";
import { ENCRYPTION_CONFIG_FLAG, ETCD_PREFIX_FLAG } from "./common.js";
import { GET_SPEC } from "./get.js";
import { HISTORY_SPEC } from "./history.js";
import { LS_SPEC } from "./ls.js";
import { PUT_SPEC } from "./put.js";

export { DECODE_FORMATS, DECODE_GET_FLAGS, decodeForm, printDecoded } from "./decode-get.js";
export { type ClientReaderOptions, clientKvReader, type LensClient, type WatchStream } from "./kv-reader.js";
export { ObjectFileError, parseObjectFile, readYamlObjects } from "./object-file.js";

export function k8sCommands(): CommandSpec[] {
  return [
    {
      use: "k8s <subcommand>",
      short: "Kubernetes lens: what kube-apiserver stores in etcd, decoded",
      long: `
Reads the objects kube-apiserver keeps under /registry (protobuf, JSON or YAML; encrypted
at rest with aescbc, aesgcm or secretbox when --encryption-config names the apiserver's
EncryptionConfiguration) and shows them as kubectl would: what is stored (ls), one object
(get), every retained version of a key with diffs (history), what changed after a
revision (changes), and writes a repaired object back (put).

'tetcdctl get' decodes too: --decode prints readable keys and decoded values, -w yaml a
YAML stream (one document per key), -w jsonl one JSON object per key (-w json stays
etcdctl's). --encryption-config works there as well.

Output forms follow -w: simple (each command's default), table, yaml, json, jsonl.
`,
      hidden: true,
      persistentFlags: [ENCRYPTION_CONFIG_FLAG, ETCD_PREFIX_FLAG],
      subcommands: [LS_SPEC, GET_SPEC, HISTORY_SPEC, CHANGES_SPEC, PUT_SPEC],
    },
  ];
}
