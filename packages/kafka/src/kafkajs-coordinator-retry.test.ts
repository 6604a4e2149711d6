// The FindCoordinator fix of our patched kafkajs (patches/kafkajs@2.2.4.patch, src/cluster/index.js):
// when no broker answers (a broker restarting), kafkajs 2.2.4 bailed with the non-retriable
// KafkaJSGroupCoordinatorNotFound, and a consumer that crashed on it stopped for good while its
// process went on (seen in `pnpm chaos`: a metric-events processor that never consumed again).
// Cluster.findGroupCoordinator runs here on the real kafkajs retrier, with the two cluster lookups
// it calls answering as a restarting broker does.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isRetriableKafkaError } from './retriable.ts';

const require = createRequire(import.meta.url);
type Broker = { nodeId: number };
type ClusterLike = {
  retrier: unknown;
  logger: { debug(): void };
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: number }): Promise<Broker>;
  findGroupCoordinatorMetadata(): Promise<{ coordinator: { nodeId: number } }>;
};
const Cluster = require('kafkajs/src/cluster') as {
  prototype: { findGroupCoordinator(this: ClusterLike, args: { groupId: string }): Promise<Broker> };
};
const createRetry = require('kafkajs/src/retry') as (options: object) => unknown;
const { KafkaJSGroupCoordinatorNotFound } = require('kafkajs/src/errors') as {
  KafkaJSGroupCoordinatorNotFound: new (message: string) => Error;
};

/** A cluster whose FindCoordinator finds no broker to answer `unanswered` times, then finds node 1. */
function restartingCluster(unanswered: number, retries: number) {
  let calls = 0;
  const cluster: ClusterLike = {
    retrier: createRetry({ retries, initialRetryTime: 1, maxRetryTime: 5 }),
    logger: { debug() {} },
    async refreshMetadata() {},
    async findBroker({ nodeId }) {
      return { nodeId };
    },
    async findGroupCoordinatorMetadata() {
      calls++;
      // What findGroupCoordinatorMetadata throws when withBroker got no answer from any broker.
      if (calls <= unanswered) throw new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator');
      return { coordinator: { nodeId: 1 } };
    },
  };
  return { cluster, calls: () => calls };
}

describe('kafkajs FindCoordinator with no broker answering (patched)', () => {
  it('is retried, and finds the coordinator once a broker answers again', async () => {
    const { cluster, calls } = restartingCluster(3, 5);
    await expect(Cluster.prototype.findGroupCoordinator.call(cluster, { groupId: 'g' })).resolves.toEqual({
      nodeId: 1,
    });
    expect(calls()).toBe(4);
  });

  it('past the retries, fails with NumberOfRetriesExceeded: a consumer restarts on it', async () => {
    const { cluster, calls } = restartingCluster(Number.POSITIVE_INFINITY, 2);
    const err = await Cluster.prototype.findGroupCoordinator.call(cluster, { groupId: 'g' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(calls()).toBe(3);
    // kafkajs' consumer restarts after a crash on exactly this name (src/consumer/index.js); before
    // the patch this was a KafkaJSNonRetriableError, and the consumer stopped for good.
    expect(err).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    let root = err as { name: string; cause?: unknown } | undefined;
    while (root?.cause instanceof Error) root = root.cause;
    expect(root?.name).toBe('KafkaJSGroupCoordinatorNotFound');
    expect(isRetriableKafkaError(err)).toBe(true);
  });
});
