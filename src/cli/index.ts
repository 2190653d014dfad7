// tetcdctl: etcdctl 3.4 in TypeScript, plus the Kubernetes lens (`k8s`, `get --decode`).
// Other modules extend it by registering command groups and output formats; the lens's
// KvReader over tetcd's client is here for other front-ends (the web console).
export { Command, type CommandSpec, execute, findCommand, type RunContext } from "./command.js";
export { registerCommands } from "./commands/index.js";
export type { FlagSpec } from "./flags.js";
export * as global from "./global.js";
export { Exit, ExitCode, type Io, processIo } from "./io.js";
export {
  type ClientReaderOptions,
  clientKvReader,
  type LensClient,
  ObjectFileError,
  parseObjectFile,
  readYamlObjects,
  type WatchStream,
} from "./lens/index.js";
export { exitWithError, type Printer, type PrinterFactory, registerPrinter } from "./printers/index.js";
export { buildRoot, type RunOptions, run } from "./program.js";
