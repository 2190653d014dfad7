// tetcdctl: etcdctl 3.4 in TypeScript. Other modules extend it by registering command
// groups and output formats.
export { Command, type CommandSpec, execute, findCommand, type RunContext } from "./command.js";
export { registerCommands } from "./commands/index.js";
export type { FlagSpec } from "./flags.js";
export * as global from "./global.js";
export { Exit, ExitCode, type Io, processIo } from "./io.js";
export { exitWithError, type Printer, type PrinterFactory, registerPrinter } from "./printers/index.js";
export { buildRoot, type RunOptions, run } from "./program.js";
