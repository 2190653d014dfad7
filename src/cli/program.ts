// tetcdctl's entry point: etcdctl 3.4's command tree with its global flags, run on an
// argument list; returns the exit code.
import { Command, type CommandSpec, execute, helpCommand } from "./command.js";
import { allCommands } from "./commands/index.js";
import { completionCommand } from "./completion.js";
import { GLOBAL_FLAGS } from "./global.js";
import { type Io, processIo } from "./io.js";

export function buildRoot(): Command {
  const spec: CommandSpec = {
    use: "etcdctl",
    short: "A simple command line client for etcd3.",
    persistentFlags: GLOBAL_FLAGS,
  };
  const root = new Command(spec);
  for (const c of allCommands()) root.add(new Command(c));
  // cobra adds these two to the root just before running.
  root.add(new Command(helpCommand(() => root)));
  root.add(new Command(completionCommand(() => root)));
  return root;
}

async function readAll(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface RunOptions {
  io?: Io;
  env?: NodeJS.ProcessEnv;
  readStdin?: () => Promise<Buffer>;
}

export async function run(argv: string[], o: RunOptions = {}): Promise<number> {
  const io = o.io ?? processIo;
  const env = { ...(o.env ?? process.env) };
  const api = env.ETCDCTL_API;
  // etcdctl unsets ETCDCTL_API before reading any other variable.
  delete env.ETCDCTL_API;
  if (api !== undefined && api !== "" && api !== "3") {
    io.err(
      api === "2"
        ? "tetcdctl supports only the v3 API (ETCDCTL_API=3)\n"
        : `unsupported API version ${api}\n`,
    );
    return 1;
  }
  return execute(buildRoot(), argv, { io, env, readStdin: o.readStdin ?? readAll });
}
