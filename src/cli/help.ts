// etcdctl's usage text (ctlv3/help.go's template), laid out by Go's tabwriter.
import type { Command } from "./command.js";
import { type FlagSet, flagUsageLine } from "./flags.js";
import { tabwrite } from "./go/tabwriter.js";

export const ETCDCTL_VERSION = "3.4.23";
export const API_VERSION = "3.4";

function flagUsages(set: FlagSet): string {
  return set
    .sorted()
    .filter((f) => !f.spec.hidden)
    .map(flagUsageLine)
    .join("");
}

/** Every descendant, depth first, children in name order. */
function subCommands(cmd: Command): Command[] {
  return cmd.sortedChildren.flatMap((c) => [c, ...subCommands(c)]);
}

/** The command's name path below `start` ("member add" under the root). */
function nameFrom(cmd: Command, start: Command): string {
  const parts = [cmd.name];
  for (let c = cmd; c.parent && c.parent !== start; c = c.parent) parts.unshift(c.parent.name);
  return parts.join(" ");
}

export function usageText(cmd: Command): string {
  let s = "NAME:\n";
  s += cmd.parent
    ? `\t${nameFrom(cmd, cmd.root)} - ${cmd.spec.short}\n`
    : `\t${cmd.name} - ${cmd.spec.short}\n`;
  s += "\nUSAGE:\n";
  // tetcdctl's own commands (hidden from etcdctl's help) say whose they are.
  s += `\t${extension(cmd) ? cmd.useLine.replace(/^etcdctl /, "tetcdctl ") : cmd.useLine}\n`;
  if (!cmd.parent) s += `\nVERSION:\n\t${ETCDCTL_VERSION}\n`;
  if (cmd.children.length > 0) {
    s += `\nAPI VERSION:\n\t${API_VERSION}\n`;
    s += "\n\nCOMMANDS:\n";
    for (const c of subCommands(cmd)) {
      if (c.runnable && !c.spec.hidden && !hiddenAncestor(c, cmd))
        s += `\t${nameFrom(c, cmd)}\t${c.spec.short}\n`;
    }
  }
  if (cmd.spec.long) {
    s += "\nDESCRIPTION:\n";
    for (const line of cmd.spec.long.replace(/^[\n\t ]+|[\n\t ]+$/g, "").split("\n")) s += `\t${line}\n`;
  }
  const local = cmd.localFlags();
  if (local.sorted().length > 0) s += `\nOPTIONS:\n${flagUsages(local)}`;
  const inherited = cmd.inheritedFlags();
  if (inherited.sorted().length > 0) s += `\nGLOBAL OPTIONS:\n${flagUsages(inherited)}`;
  s += "\n";
  return tabwrite(s);
}

function hiddenAncestor(c: Command, start: Command): boolean {
  for (let p = c.parent; p && p !== start; p = p.parent) if (p.spec.hidden) return true;
  return false;
}

function extension(cmd: Command): boolean {
  for (let c: Command | undefined = cmd; c; c = c.parent) if (c.spec.hidden) return true;
  return false;
}
