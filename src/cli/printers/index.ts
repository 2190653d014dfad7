// Output formats by name (-w/--write-out). To add a format, add a Printer here.
import type { Io } from "../io.js";
import { FieldsPrinter } from "./fields.js";
import { JsonPrinter } from "./json.js";
import type { Printer } from "./printer.js";
import { ProtobufPrinter } from "./protobuf.js";
import { SimplePrinter } from "./simple.js";
import { TablePrinter } from "./table.js";

export type PrinterFactory = (io: Io, isHex: boolean) => Printer;

export const PRINTERS = new Map<string, PrinterFactory>([
  ["simple", (io, isHex) => new SimplePrinter(io, isHex)],
  ["fields", (io) => new FieldsPrinter(io)],
  ["json", (io) => new JsonPrinter(io)],
  ["protobuf", (io) => new ProtobufPrinter(io)],
  ["table", (io) => new TablePrinter(io)],
]);

/** Adds an output format (e.g. yaml from the Kubernetes lens). */
export function registerPrinter(name: string, factory: PrinterFactory): void {
  PRINTERS.set(name, factory);
}

export function newPrinter(name: string, io: Io, isHex: boolean): Printer | undefined {
  return PRINTERS.get(name)?.(io, isHex);
}

export * from "./printer.js";
export { hexEscaped } from "./simple.js";
export { FieldsPrinter, JsonPrinter, ProtobufPrinter, SimplePrinter, TablePrinter };
