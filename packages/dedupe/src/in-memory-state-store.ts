import type { WinnerState } from '@shopfloor/contracts';
import type { PartitionStateStore, StateStoreFactory, StateValue, StateWrite } from './state-store.ts';

/** Heap-backed store for tests and small deployments; every tracked event lives in the JS heap. */
export class InMemoryStateStore<V extends StateValue = WinnerState> implements PartitionStateStore<V> {
  private readonly winners = new Map<string, V>();
  private offset: string | undefined;

  constructor(readonly partition: number) {}

  get(eventId: string): V | undefined {
    return this.winners.get(eventId);
  }

  apply(writes: Iterable<StateWrite<V>>, checkpoint: string): void {
    for (const [id, state] of writes) {
      if (state === null) this.winners.delete(id);
      else this.winners.set(id, state);
    }
    this.offset = checkpoint;
  }

  checkpoint(): string | undefined {
    return this.offset;
  }

  clear(): void {
    this.winners.clear();
    this.offset = undefined;
  }

  count(): number {
    return this.winners.size;
  }

  expired(cutoff: number, limit: number): string[] {
    const out: string[] = [];
    for (const [id, w] of this.winners) {
      if (out.length >= limit) break;
      if (w.receivedAt < cutoff) out.push(id);
    }
    return out;
  }
}

export function inMemoryStateStores<V extends StateValue = WinnerState>(): StateStoreFactory<V> {
  const stores = new Map<number, InMemoryStateStore<V>>();
  return {
    open(partition) {
      let s = stores.get(partition);
      if (!s) {
        s = new InMemoryStateStore<V>(partition);
        stores.set(partition, s);
      }
      return s;
    },
    async close() {},
  };
}
