import type { PartitionStateStore } from '@shopfloor/dedupe';
import { createTransactionalProducer, type KafkaClient, type Producer } from '@shopfloor/kafka';

/**
 * The one transactional producer of a stream member (KIP-447: one per member, not one per input
 * partition). Its transactional id is stable per process (see member-id.ts), so a restarted process
 * fences its zombie and aborts the transaction it left open. A kafkajs producer runs one
 * transaction at a time, so every transaction of the member (fetch commits, restore markers) goes
 * through `inTransactionLock`, one after the other.
 */
export class MemberProducer {
  private connected: Promise<Producer> | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: KafkaClient,
    readonly transactionalId: string,
    private readonly options: { transactionTimeoutMs: number },
  ) {}

  producer(): Promise<Producer> {
    if (!this.connected) {
      const producer = createTransactionalProducer(this.kafka, this.transactionalId, this.options);
      this.connected = producer.connect().then(() => producer);
      this.connected.catch(() => {
        this.connected = undefined;
      });
    }
    return this.connected;
  }

  /** Runs `work` once every transaction started before it has settled. */
  inTransactionLock<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => {});
    return run;
  }

  /** Drops the producer (after a fencing or transaction error); the next use reconnects. */
  async reset(): Promise<void> {
    const p = this.connected;
    this.connected = undefined;
    if (p) await p.then((producer) => producer.disconnect()).catch(() => {});
  }
}

/** What a member holds for one assigned input partition: its state, and the member's producer. */
export class PartitionOwner<S extends { readonly partition: number } = PartitionStateStore> {
  constructor(
    readonly member: MemberProducer,
    readonly store: S,
  ) {}

  get partition(): number {
    return this.store.partition;
  }
}

/** The owners of the partitions a member holds, made on first use; they share its producer. */
export class PartitionOwners<S extends { readonly partition: number } = PartitionStateStore> {
  private readonly owners = new Map<number, PartitionOwner<S>>();

  constructor(
    readonly member: MemberProducer,
    private readonly stores: { open(partition: number): S },
  ) {}

  forPartition(partition: number): PartitionOwner<S> {
    let owner = this.owners.get(partition);
    if (!owner) {
      owner = new PartitionOwner<S>(this.member, this.stores.open(partition));
      this.owners.set(partition, owner);
    }
    return owner;
  }

  /** After a rebalance: lets go of the partitions no longer assigned. */
  keepOnly(assigned: readonly number[]): void {
    for (const partition of this.owners.keys())
      if (!assigned.includes(partition)) this.owners.delete(partition);
  }

  async releaseAll(): Promise<void> {
    this.owners.clear();
    await this.member.reset();
  }
}
