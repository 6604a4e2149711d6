import type { PartitionStateStore } from '@shopfloor/dedupe';
import { createTransactionalProducer, type KafkaClient, type Producer } from '@shopfloor/kafka';

/**
 * What a member holds for one assigned partition of events.raw: its state store and the
 * transactional producer whose id is tied to the partition. Connecting the producer fences any
 * zombie that still writes with the same id (one transactional id per input partition).
 */
export class PartitionOwner<S extends { readonly partition: number } = PartitionStateStore> {
  private connected: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: KafkaClient,
    readonly transactionalId: string,
    readonly store: S,
  ) {}

  get partition(): number {
    return this.store.partition;
  }

  producer(): Promise<Producer> {
    if (!this.connected) {
      const producer = createTransactionalProducer(this.kafka, this.transactionalId);
      this.connected = producer.connect().then(() => producer);
      this.connected.catch(() => {
        this.connected = undefined;
      });
    }
    return this.connected;
  }

  /** Drops the producer (after a fencing or transaction error); the next use reconnects. */
  async reset(): Promise<void> {
    const p = this.connected;
    this.connected = undefined;
    if (p) await p.then((producer) => producer.disconnect()).catch(() => {});
  }
}

/** The owners of the partitions a member holds, made on first use. */
export class PartitionOwners<S extends { readonly partition: number } = PartitionStateStore> {
  private readonly owners = new Map<number, PartitionOwner<S>>();

  /**
   * @param transactionalIdPrefix `<group>.<raw topic>`: the transactional id of partition p is
   * `<prefix>.<p>`, the same on every member, so the member that takes p over fences the last one.
   */
  constructor(
    private readonly kafka: KafkaClient,
    private readonly transactionalIdPrefix: string,
    private readonly stores: { open(partition: number): S },
  ) {}

  forPartition(partition: number): PartitionOwner<S> {
    let owner = this.owners.get(partition);
    if (!owner) {
      owner = new PartitionOwner<S>(
        this.kafka,
        `${this.transactionalIdPrefix}.${partition}`,
        this.stores.open(partition),
      );
      this.owners.set(partition, owner);
    }
    return owner;
  }

  /** After a rebalance: lets go of the partitions no longer assigned (their producers close). */
  keepOnly(assigned: readonly number[]): void {
    for (const [partition, owner] of this.owners) {
      if (assigned.includes(partition)) continue;
      this.owners.delete(partition);
      void owner.reset();
    }
  }

  async releaseAll(): Promise<void> {
    const owners = [...this.owners.values()];
    this.owners.clear();
    await Promise.all(owners.map((o) => o.reset()));
  }
}
