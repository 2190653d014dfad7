// etcd's default host: the IPv4 address of the interface carrying the default route. etcd
// advertises it in place of localhost when it listens on 0.0.0.0 with default advertise URLs.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";

export type DefaultHost = { readonly host: string } | { readonly error: string };

/** Reads the default route from /proc/net/route (Linux). */
export function detectDefaultHost(): DefaultHost {
  let table: string;
  try {
    table = readFileSync("/proc/net/route", "utf8");
  } catch {
    return { error: "could not find default route" };
  }
  for (const line of table.split("\n").slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface === undefined || destination !== "00000000" || mask !== "00000000") continue;
    const address = networkInterfaces()[iface]?.find((a) => a.family === "IPv4");
    return address ? { host: address.address } : { error: "could not find default host" };
  }
  return { error: "could not find default route" };
}
