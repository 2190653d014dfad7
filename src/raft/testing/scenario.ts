// Scenario scripts: a small command language over InteractionEnv, with golden transcripts.
//
// A file is a sequence of blocks:
//
//     # comments (kept when rewriting)
//     command arg arg key=value
//     ----
//     the transcript the command must print
//     (up to the next blank line)
//
// Commands:
//   add-nodes N [voters=1,2,3] [learners=4] [index=I] [prevote=true] [checkquorum=true]
//             [readonly=lease] [maxsize=B] [maxinflight=N] [stepdown=true] [election=T] [heartbeat=T]
//   campaign ID | propose ID DATA | read-index ID CTX | transfer-leader ID TO
//   propose-conf-change ID [v1=true] [transition=auto|implicit|explicit] CHANGES...   (v4 l5 r3 u2)
//   process-ready ID... | deliver-msgs [drop=true] ID... | stabilize [ID...]
//   tick ID [N] | tick-election ID | tick-heartbeat ID
//   partition IDS IDS (comma separated) | cut FROM TO | heal | crash ID | restart ID
//   compact ID INDEX | report-unreachable ID PEER | log-level debug|info|none
//   status ID | raft-log ID | raft-state
import { readFileSync, writeFileSync } from "node:fs";
import { confChangesFromString } from "../conf_change.js";
import { LogLevel } from "../logger.js";
import { stateNames } from "../raft.js";
import { ReadOnlyOption } from "../read_only.js";
import { ConfChangeTransition, EMPTY_BYTES, type NodeId } from "../types.js";
import { type AddNodesOptions, InteractionEnv } from "./env.js";

export interface Block {
  /** Comment and blank lines before the command, verbatim. */
  preamble: string[];
  command: string;
  expected: string;
  line: number;
}

export function parseScenario(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "" || line.startsWith("#")) {
      preamble.push(line);
      i++;
      continue;
    }
    const command = line;
    const at = i + 1;
    i++;
    if (lines[i] !== "----")
      throw new Error(`line ${i + 1}: expected ---- after command ${JSON.stringify(command)}`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") out.push(lines[i++]!);
    blocks.push({ preamble, command, expected: out.join("\n"), line: at });
    preamble = [];
  }
  if (preamble.some((l) => l.trim() !== ""))
    blocks.push({ preamble, command: "", expected: "", line: lines.length });
  return blocks;
}

function ids(s: string): NodeId[] {
  return s
    .split(",")
    .filter((x) => x !== "")
    .map((x) => BigInt(x));
}

/** Runs one command; returns what it printed. */
export function runCommand(env: InteractionEnv, command: string): string {
  const words = command.trim().split(/\s+/);
  const name = words[0]!;
  const kv = new Map<string, string>();
  const args: string[] = [];
  for (const w of words.slice(1)) {
    const eq = w.indexOf("=");
    if (eq > 0) kv.set(w.slice(0, eq), w.slice(eq + 1));
    else args.push(w);
  }
  const id = (k = 0): number => {
    const v = args[k];
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${name}: argument ${k + 1} must be a node ID`);
    return Number(v);
  };
  const flag = (k: string): boolean => kv.get(k) === "true";
  const num = (k: string): number | undefined => (kv.has(k) ? Number(kv.get(k)) : undefined);
  switch (name) {
    case "add-nodes": {
      const config: NonNullable<AddNodesOptions["config"]> = {};
      if (flag("prevote")) config.preVote = true;
      if (flag("checkquorum")) config.checkQuorum = true;
      if (flag("stepdown")) config.stepDownOnRemoval = true;
      if (kv.get("readonly") === "lease") config.readOnlyOption = ReadOnlyOption.LeaseBased;
      const maxsize = num("maxsize");
      if (maxsize !== undefined) config.maxSizePerMsg = maxsize;
      const inflight = num("maxinflight");
      if (inflight !== undefined) config.maxInflightMsgs = inflight;
      const election = num("election");
      if (election !== undefined) config.electionTick = election;
      const heartbeat = num("heartbeat");
      if (heartbeat !== undefined) config.heartbeatTick = heartbeat;
      const opts: AddNodesOptions = {
        config,
        voters: ids(kv.get("voters") ?? ""),
        learners: ids(kv.get("learners") ?? ""),
      };
      const index = num("index");
      if (index !== undefined) opts.index = index;
      env.addNodes(id(), opts);
      break;
    }
    case "campaign":
      env.campaign(id());
      break;
    case "propose":
      env.propose(id(), args[1] ?? "");
      break;
    case "read-index":
      env.readIndex(id(), args[1] ?? "");
      break;
    case "transfer-leader":
      env.transferLeader(id(), id(1));
      break;
    case "propose-conf-change": {
      const changes = confChangesFromString(args.slice(1).join(" "));
      if (flag("v1")) {
        const c = changes[0];
        if (c === undefined || changes.length !== 1)
          throw new Error("v1 conf changes take exactly one change");
        env.proposeConfChange(id(), { type: c.type, nodeId: c.nodeId, context: EMPTY_BYTES, id: 0n });
      } else {
        const t = kv.get("transition") ?? "auto";
        const transition =
          t === "implicit"
            ? ConfChangeTransition.ConfChangeTransitionJointImplicit
            : t === "explicit"
              ? ConfChangeTransition.ConfChangeTransitionJointExplicit
              : ConfChangeTransition.ConfChangeTransitionAuto;
        env.proposeConfChange(id(), { transition, changes, context: EMPTY_BYTES });
      }
      break;
    }
    case "process-ready":
      for (let k = 0; k < args.length; k++) {
        if (args.length > 1) env.write(`> ${id(k)} handling Ready`);
        env.withIndent(() => {
          if (!env.processReady(id(k))) env.write("<empty Ready>");
        });
      }
      break;
    case "deliver-msgs":
      for (let k = 0; k < args.length; k++) {
        const n = env.deliverMsgs(BigInt(id(k)), flag("drop"));
        if (n === 0) env.write("no messages");
      }
      break;
    case "stabilize":
      env.stabilize(args.length > 0 ? args.map((a) => BigInt(a)) : undefined);
      break;
    case "tick":
      env.tick(id(), args[1] === undefined ? 1 : Number(args[1]));
      break;
    case "tick-election":
      env.tickElection(id());
      break;
    case "tick-heartbeat":
      env.tickHeartbeat(id());
      break;
    case "partition":
      env.partition(ids(args[0] ?? ""), ids(args[1] ?? ""));
      break;
    case "cut":
      env.cutOneWay(BigInt(id()), BigInt(id(1)));
      break;
    case "heal":
      env.heal();
      break;
    case "crash":
      env.crash(id());
      break;
    case "restart":
      env.restart(id());
      break;
    case "compact":
      env.compact(id(), Number(args[1]));
      break;
    case "report-unreachable":
      env.node(id()).rawNode.reportUnreachable(BigInt(id(1)));
      break;
    case "log-level":
      env.level = args[0] === "debug" ? LogLevel.Debug : args[0] === "none" ? LogLevel.Silent : LogLevel.Info;
      break;
    case "status":
      env.write(env.status(id()));
      break;
    case "raft-log":
      env.write(env.raftLog(id()));
      break;
    case "raft-state":
      for (const n of env.nodes) {
        const r = n.rawNode.raft;
        env.write(
          `${n.id}: ${stateNames[r.state]} (${n.down ? "Down" : "Up"}) term=${r.term} lead=${r.lead} ${env.describeHardState(n.id)}`,
        );
      }
      break;
    default:
      throw new Error(`unknown command ${name}`);
  }
  return env.takeOutput();
}

/** Runs a scenario file; returns the actual text (same layout, actual outputs) and the mismatches. */
export function runScenario(text: string): { actual: string; mismatches: string[] } {
  const env = new InteractionEnv();
  const out: string[] = [];
  const mismatches: string[] = [];
  for (const b of parseScenario(text)) {
    out.push(...b.preamble);
    if (b.command === "") continue;
    let got: string;
    try {
      got = runCommand(env, b.command);
    } catch (e) {
      got = `${env.takeOutput()}\npanic: ${(e as Error).message}`.trim();
    }
    const shown = got === "" ? "ok" : got;
    out.push(b.command, "----", shown);
    if (shown !== b.expected) {
      mismatches.push(`line ${b.line}: ${b.command}\n--- expected\n${b.expected}\n--- actual\n${shown}`);
    }
  }
  return { actual: `${out.join("\n")}\n`, mismatches };
}

/** Runs a scenario file, rewriting its transcripts in place when `rewrite` is set. */
export function checkScenarioFile(path: string, rewrite: boolean): string[] {
  const text = readFileSync(path, "utf8");
  const { actual, mismatches } = runScenario(text);
  if (rewrite && actual !== text) writeFileSync(path, actual);
  return rewrite ? [] : mismatches;
}
