// The command registry: every command group; the root lists them in etcdctl's order
// (which decides the order of "Did you mean this?" suggestions). Another module adds its
// group with registerCommands (e.g. `k8s`).
import type { CommandSpec } from "../command.js";
import { k8sCommands } from "../lens/index.js";
import { authCommands } from "./auth.js";
import { checkCommands } from "./check.js";
import { concurrencyCommands } from "./concurrency.js";
import { endpointCommands } from "./endpoint.js";
import { kvCommands } from "./kv.js";
import { leaseCommands } from "./lease.js";
import { maintenanceCommands } from "./maintenance.js";
import { memberCommands } from "./member.js";
import { mirrorCommands } from "./mirror.js";
import { txnCommands } from "./txn.js";
import { watchCommands } from "./watch.js";

type Group = () => CommandSpec[];

const groups: Group[] = [
  kvCommands,
  txnCommands,
  maintenanceCommands,
  endpointCommands,
  watchCommands,
  leaseCommands,
  memberCommands,
  mirrorCommands,
  concurrencyCommands,
  authCommands,
  checkCommands,
  k8sCommands,
];

const ETCDCTL_ORDER = [
  "get",
  "put",
  "del",
  "txn",
  "compaction",
  "alarm",
  "defrag",
  "endpoint",
  "move-leader",
  "watch",
  "version",
  "lease",
  "member",
  "snapshot",
  "make-mirror",
  "migrate",
  "lock",
  "elect",
  "auth",
  "user",
  "role",
  "check",
];

export function registerCommands(group: Group): void {
  groups.push(group);
}

export function allCommands(): CommandSpec[] {
  const rank = (c: CommandSpec) => {
    const i = ETCDCTL_ORDER.indexOf(c.use.split(" ")[0] as string);
    return i === -1 ? ETCDCTL_ORDER.length : i;
  };
  return groups
    .flatMap((g) => g())
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}
