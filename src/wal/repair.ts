// After a crash the last segment may end in a torn record. Repair (etcd's wal.Repair)
// keeps a copy of the segment as `<name>.broken`, truncates it after its last valid
// record and syncs it. Only a torn tail is repaired: corruption elsewhere is thrown.
import { join } from "node:path";
import { decodeSegment } from "./decoder.js";
import { nodeFs, type WalFs } from "./fs.js";
import { acquireLock } from "./lock.js";
import { listSegments } from "./names.js";

export interface RepairResult {
  /** The segment examined (the last one). */
  readonly segment: string;
  /** Where it was truncated, if it was torn. */
  readonly truncatedAt?: number;
}

export async function repairWal(dir: string, fs: WalFs = nodeFs): Promise<RepairResult> {
  const lock = await acquireLock(`${dir}.lock`);
  try {
    const last = (await listSegments(fs, dir)).at(-1)!;
    const path = join(dir, last.name);
    const bytes = await fs.readFile(path);
    const end = decodeSegment(last.name, bytes, true, 0, () => {});
    if (end.kind === "eof") return { segment: last.name };
    const backup = await fs.open(`${path}.broken`, "create");
    try {
      await backup.write([bytes], 0);
      await backup.datasync();
    } finally {
      await backup.close();
    }
    const file = await fs.open(path, "write");
    try {
      await file.truncate(end.offset);
      await file.datasync();
    } finally {
      await file.close();
    }
    return { segment: last.name, truncatedAt: end.offset };
  } finally {
    await lock.release();
  }
}
