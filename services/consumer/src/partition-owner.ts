import type { PartitionStateStore } from '@shopfloor/dedupe';
import { createTransactionalProducer, type KafkaClient, type Producer } from '@shopfloor/kafka';

/**
 * What a member holds for one assigned partition of events.raw: its state store and the
 * transactional producer whose id is tied to the partition. Connecting the producer fences any
 * zombie that still writes with the same id (one transactional id per input partition).
 */
export class PartitionOwner {
  private connected: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: KafkaClient,
    readonly transactionalId: string,
    readonly store: PartitionStateStore,
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
