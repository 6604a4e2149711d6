import { mkdirSync } from 'node:fs';
import type { WinnerState } from '@shopfloor/contracts';
import { type Database, open, type RootDatabase } from 'lmdb';
import type { PartitionStateStore, StateStoreFactory, StateValue, StateWrite } from './state-store.ts';
import { type StoredLayout, winnerLayout } from './stored-layout.ts';

const CHECKPOINT_KEY = 'checkpoint';

/**
 * Disk-backed store on LMDB (memory-mapped B+tree): tracked events live in the OS page cache, not
 * in the JS heap, so the number of eventIds a process can track is bounded by disk, not by V8.
 * Each partition is a named database; its checkpoint lives in a meta database and is written in
 * the same LMDB transaction as the batch, so the two never disagree.
 */
class LmdbPartitionStore<V extends StateValue> implements PartitionStateStore<V> {
  /** Where the next expiry scan resumes (the key after the last one scanned). */
  private sweepFrom: string | undefined;

  constructor(
    readonly partition: number,
    private readonly root: RootDatabase,
    private readonly db: Database<unknown, string>,
    private readonly meta: Database<string, string>,
    private readonly layout: StoredLayout<V>,
  ) {}

  private get metaKey(): string {
    return `${CHECKPOINT_KEY}:${this.partition}`;
  }

  get(eventId: string): V | undefined {
    const stored = this.db.get(eventId);
    return stored === undefined ? undefined : this.layout.fromStored(eventId, stored);
  }

  apply(writes: Iterable<StateWrite<V>>, checkpoint: string): void {
    this.root.transactionSync(() => {
      for (const [id, state] of writes) {
        if (state === null) this.db.removeSync(id);
        else this.db.putSync(id, this.layout.toStored(state));
      }
      this.meta.putSync(this.metaKey, checkpoint);
    });
  }

  checkpoint(): string | undefined {
    return this.meta.get(this.metaKey);
  }

  clear(): void {
    this.root.transactionSync(() => {
      this.db.clearSync();
      this.meta.removeSync(this.metaKey);
    });
  }

  count(): number {
    // The database's own entry count (O(1)), not getCount(), which walks every entry on the calling
    // thread: every /metrics scrape asks, and at 4 M tracked events that walk held the event loop
    // 155-684 ms (bench/micro/lmdb-count.ts; bench/README "Levers" 17). lmdb's typings leave
    // getStats() untyped.
    return (this.db.getStats() as { entryCount: number }).entryCount;
  }

  expired(cutoff: number, limit: number): string[] {
    const out: string[] = [];
    let scanned = 0;
    let resumeAt: string | undefined;
    // A bounded slice per call (at most 20 entries looked at per id wanted), resuming where the
    // previous call stopped and wrapping around at the end.
    for (const { key, value } of this.db.getRange(
      this.sweepFrom === undefined ? {} : { start: this.sweepFrom },
    )) {
      if (out.length >= limit || scanned >= limit * 20) {
        resumeAt = key;
        break;
      }
      scanned++;
      if (this.layout.receivedAtOf(value) < cutoff) out.push(key);
    }
    this.sweepFrom = resumeAt;
    return out;
  }
}

/**
 * The stores of the events pipeline (winners, in `winnerLayout`) by default; another stream gives
 * its value's layout (`storedAsIs` for msgpack of the object).
 */
export function lmdbStateStores(dir: string): StateStoreFactory<WinnerState>;
export function lmdbStateStores<V extends StateValue>(
  dir: string,
  layout: StoredLayout<V>,
): StateStoreFactory<V>;
export function lmdbStateStores<V extends StateValue>(
  dir: string,
  layout: StoredLayout<V> = winnerLayout as unknown as StoredLayout<V>,
): StateStoreFactory<V> {
  mkdirSync(dir, { recursive: true });
  // noSync: an OS crash may lose the last commits, but LMDB stays consistent (an older state with
  // its older checkpoint), and the changelog replays the rest.
  const root = open({ path: dir, noSync: true, maxDbs: 4096 });
  const meta = root.openDB<string, string>({ name: 'meta' });
  const stores = new Map<number, LmdbPartitionStore<V>>();
  return {
    open(partition) {
      let s = stores.get(partition);
      if (!s) {
        const db = root.openDB<unknown, string>({ name: `p${partition}` });
        s = new LmdbPartitionStore(partition, root, db, meta, layout);
        stores.set(partition, s);
      }
      return s;
    },
    async close() {
      await root.close();
    },
  };
}
