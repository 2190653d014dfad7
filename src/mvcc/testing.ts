// Helpers for this module's tests: a store on a fresh backend in a temp dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LmdbBackend, openLmdbBackend } from "../storage/index.js";
import { type MvccOptions, MvccStore } from "./store.js";
import type { MvccWriteTxn, WriteResult } from "./write-txn.js";

export interface TestStore {
  store: MvccStore;
  backend: LmdbBackend;
  path: string;
  /** Closes the store and backend and opens both again on the same file. */
  reopen(options?: MvccOptions): Promise<void>;
  close(): Promise<void>;
}

export function openTestStore(options: MvccOptions = {}): TestStore {
  const dir = mkdtempSync(join(tmpdir(), "tetcd-mvcc-"));
  const path = join(dir, "db");
  const t: TestStore = {
    backend: openLmdbBackend(path),
    store: undefined as unknown as MvccStore,
    path,
    async reopen(again = options) {
      await t.store.close();
      await t.backend.close();
      t.backend = openLmdbBackend(path);
      t.store = new MvccStore(t.backend, again);
    },
    async close() {
      await t.store.close();
      await t.backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  t.store = new MvccStore(t.backend, options);
  return t;
}

export const b = (s: string): Buffer => Buffer.from(s);

/** Runs `fn` as one MVCC write transaction in its own backend transaction. */
export function txn(
  t: { store: MvccStore; backend: LmdbBackend },
  fn: (w: MvccWriteTxn) => void,
): WriteResult {
  return t.backend.write((tx) => {
    const w = t.store.write(tx);
    fn(w);
    return w.end();
  });
}

export function put(
  t: { store: MvccStore; backend: LmdbBackend },
  key: string,
  value: string,
  lease = 0n,
): number {
  return txn(t, (w) => w.put(b(key), b(value), lease)).revision;
}

export function del(t: { store: MvccStore; backend: LmdbBackend }, key: string, end?: string): number {
  return txn(t, (w) => w.deleteRange(b(key), end === undefined ? undefined : b(end))).revision;
}
