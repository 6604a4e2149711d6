import { mkdirSync, rmSync } from 'node:fs';
import { fromTimeOrderedKey, type IdentityStore, timeOrderedKey } from '@shopfloor/sensors';
import { type Database, open } from 'lmdb';

/** Buffered writes past this many are written at once, so a restore of millions stays bounded in the heap. */
const MAX_BUFFERED = 20_000;
const DELETED = Symbol('deleted');

/**
 * One partition's seen identities in LMDB (a memory-mapped B+tree): they live in the OS page cache,
 * not in the V8 heap, where each cost ~160 B and every full GC marked them again (1.1 M identities:
 * 165 MiB of heap, a full GC 94 ms instead of 11; at 10 000 readings/s without a horizon the
 * heap bound was reached within minutes). Writes are buffered in a Map until `flush()` (once per
 * batch) and written in one LMDB transaction; reads look at the buffer first. Keys are stored
 * timestamp first (`timeOrderedKey`): readings arrive roughly in time order, so each batch's writes
 * land in the tree's last pages instead of in a random page per identity (a new identity 2.8 us
 * of the main thread instead of 7.3, `bench/micro/identity-writes.ts`).
 */
class LmdbIdentityStore implements IdentityStore {
  private readonly buffered = new Map<string, number | null | typeof DELETED>();

  constructor(
    private readonly db: Database<number | null, string>,
    private readonly write: (fn: () => void) => void,
  ) {}

  get size(): number {
    this.flush();
    // lmdb's typings leave getStats() untyped; entryCount is the database's count (O(1)).
    return (this.db.getStats() as { entryCount: number }).entryCount;
  }

  has(key: string): boolean {
    const b = this.buffered.get(key);
    if (b !== undefined) return b !== DELETED;
    return this.db.get(timeOrderedKey(key)) !== undefined;
  }

  set(key: string, readingTs: number | null): void {
    this.buffered.set(key, readingTs);
    if (this.buffered.size >= MAX_BUFFERED) this.flush();
  }

  delete(key: string): void {
    this.buffered.set(key, DELETED);
    if (this.buffered.size >= MAX_BUFFERED) this.flush();
  }

  *entries(): Iterable<[string, number | null]> {
    // A read snapshot: writes made while iterating (the sweep's) are buffered, not seen by it.
    for (const { key, value } of this.db.getRange()) yield [fromTimeOrderedKey(key), value];
  }

  flush(): void {
    if (this.buffered.size === 0) return;
    this.write(() => {
      for (const [key, value] of this.buffered) {
        if (value === DELETED) this.db.removeSync(timeOrderedKey(key));
        else this.db.putSync(timeOrderedKey(key), value);
      }
    });
    this.buffered.clear();
  }

  clear(): void {
    this.buffered.clear();
    this.write(() => this.db.clearSync());
  }
}

/** The identity stores of one process's partitions, in one LMDB environment. */
export type IdentityStores = { open(partition: number): IdentityStore; close(): Promise<void> };

/**
 * Opens the identity stores under `dir` (one per process: `dirs.sensorState`, an instance's own).
 * What a previous run left there is removed first: the identities are rebuilt from sensor.state on
 * every restore, so nothing on disk is ever read back.
 */
export function lmdbIdentityStores(dir: string): IdentityStores {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // noSync: nothing here outlives the process in any way that matters (see above).
  const root = open({ path: dir, noSync: true, maxDbs: 1024 });
  const stores = new Map<number, LmdbIdentityStore>();
  return {
    open(partition) {
      let s = stores.get(partition);
      if (!s) {
        const db = root.openDB<number | null, string>({ name: `p${partition}` });
        s = new LmdbIdentityStore(db, (fn) => root.transactionSync(fn));
        stores.set(partition, s);
      }
      return s;
    },
    async close() {
      await root.close();
    },
  };
}
