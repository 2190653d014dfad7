// The command registry: every command group in etcdctl's order. The program walks this
// list; another module adds its group with registerCommands (e.g. `k8s`).
import type { CommandSpec } from "../command.js";
import { kvCommands } from "./kv.js";

type Group = () => CommandSpec[];

const groups: Group[] = [kvCommands];

export function registerCommands(group: Group): void {
  groups.push(group);
}

export function allCommands(): CommandSpec[] {
  return groups.flatMap((g) => g());
}
