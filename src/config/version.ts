// tetcd's own version and the version block `tetcd --version` prints in etcd's shape.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** tetcd's version, from its package.json (two levels above both src/config and dist/config). */
export const TETCD_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

const GO_ARCH: Readonly<Record<string, string>> = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64" };
const GO_OS: Readonly<Record<string, string>> = { win32: "windows" };

/** Go's names for this platform ("linux", "amd64"). */
export function goPlatform(): { os: string; arch: string } {
  return { os: GO_OS[process.platform] ?? process.platform, arch: GO_ARCH[process.arch] ?? process.arch };
}

function versionLines(emulatedEtcdVersion: string): string[] {
  const { os, arch } = goPlatform();
  return [
    `etcd Version: ${emulatedEtcdVersion}`,
    "Git SHA: Not provided",
    `Go Version: none (tetcd runs on Node.js ${process.version})`,
    `Go OS/Arch: ${os}/${arch}`,
    `tetcd Version: ${TETCD_VERSION}`,
  ];
}

/** etcd's version block; `etcd Version` is the emulated release, then tetcd's own lines. */
export function versionText(emulatedEtcdVersion: string): string {
  return `${versionLines(emulatedEtcdVersion).join("\n")}\n`;
}

/** The lines etcd 3.4 logs (capnslog, package etcdmain) when it starts. */
export function versionBanner(emulatedEtcdVersion: string): string[] {
  const cpus = availableParallelism();
  return [
    ...versionLines(emulatedEtcdVersion),
    `setting maximum number of CPUs to ${cpus}, total number of available CPUs is ${cpus}`,
  ];
}
