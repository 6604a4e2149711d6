// The transaction manager of our patched kafkajs (patches/kafkajs@2.2.4.patch,
// src/producer/eosManager/index.js), on a cluster that counts its FindCoordinator lookups and whose
// coordinator refuses chosen requests:
// - kafkajs 2.2.4 sent a FindCoordinator before every request of a transaction (four of a
//   transaction's nine round trips); now each coordinator is looked up once, and again only after a
//   request to one failed because it moved or could not be reached;
// - a transaction's first request refused with CONCURRENT_TRANSACTIONS (the last transaction's
//   markers still being written) went to the producer's retrier, 300 ms and more; now it is sent
//   again after 5, 10, 20, 40 ms, up to 2 s.
// transactions.integration.test.ts counts the lookups against the real broker.
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);

type Broker = { nodeId: number } & { [request: string]: unknown };
type EosManager = {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  addPartitionsToTransaction(topics: { topic: string; partitions: { partition: number }[] }[]): Promise<void>;
  sendOffsets(args: {
    consumerGroupId: string;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
};
const createEosManager = require('kafkajs/src/producer/eosManager') as (options: object) => EosManager;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A one-broker cluster that counts FindCoordinator lookups by type; `failing` names one request that
 * fails with `type` at its `call`-th sending (1-based), and at the `times - 1` sendings after it.
 */
function countingCluster(failing?: { request: string; call: number; type: string; times?: number }) {
  const lookups = { transaction: 0, group: 0 };
  const sent: string[] = [];
  const sentAt: number[] = [];
  const request =
    (name: string, answer: unknown = {}) =>
    async () => {
      sent.push(name);
      sentAt.push(Date.now());
      const nth = sent.filter((s) => s === name).length;
      if (failing?.request === name && nth >= failing.call && nth < failing.call + (failing.times ?? 1)) {
        throw Object.assign(new Error(`${failing.type} (test)`), { type: failing.type, retriable: true });
      }
      return answer;
    };
  const broker: Broker = {
    nodeId: 1,
    initProducerId: request('InitProducerId', { producerId: 7, producerEpoch: 0 }),
    addPartitionsToTxn: request('AddPartitionsToTxn'),
    addOffsetsToTxn: request('AddOffsetsToTxn'),
    txnOffsetCommit: request('TxnOffsetCommit'),
    endTxn: request('EndTxn'),
  };
  const cluster = {
    retry: { retries: 0 },
    async refreshMetadataIfNecessary() {},
    async findBroker({ nodeId }: { nodeId: number }) {
      expect(nodeId).toBe(1);
      return broker;
    },
    async findGroupCoordinator({ coordinatorType }: { coordinatorType: number }) {
      // kafkajs' COORDINATOR_TYPES: 0 a group, 1 a transaction.
      if (coordinatorType === 1) lookups.transaction++;
      else lookups.group++;
      return broker;
    },
  };
  return { cluster, lookups, sent, sentAt };
}

function eosManagerOn(cluster: object): EosManager {
  return createEosManager({ logger: silent, cluster, transactional: true, transactionalId: 'tx' });
}

async function oneTransaction(eos: EosManager): Promise<void> {
  eos.beginTransaction();
  await eos.addPartitionsToTransaction([{ topic: 'out', partitions: [{ partition: 0 }] }]);
  await eos.sendOffsets({
    consumerGroupId: 'g',
    topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
  });
  await eos.commit();
}

describe('kafkajs transactional coordinators (patched: looked up once)', () => {
  it('looks each coordinator up once over many transactions', async () => {
    const { cluster, lookups, sent } = countingCluster();
    const eos = eosManagerOn(cluster);
    await eos.initProducerId();
    for (let i = 0; i < 5; i++) await oneTransaction(eos);
    expect(lookups).toEqual({ transaction: 1, group: 1 });
    expect(sent.filter((s) => s === 'EndTxn')).toHaveLength(5);
  });

  it('looks them up again after a request to one failed, and only then', async () => {
    const { cluster, lookups, sent } = countingCluster({
      request: 'AddOffsetsToTxn',
      call: 2,
      type: 'NOT_COORDINATOR_FOR_GROUP',
    });
    const eos = eosManagerOn(cluster);
    await eos.initProducerId();
    await oneTransaction(eos);
    expect(lookups).toEqual({ transaction: 1, group: 1 });

    // The second transaction's AddOffsetsToTxn fails; the caller aborts, and the abort's EndTxn goes
    // to a coordinator looked up anew.
    await expect(oneTransaction(eos)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    await eos.abort();
    expect(lookups).toEqual({ transaction: 2, group: 1 });
    expect(sent.at(-1)).toBe('EndTxn');
    // The group's coordinator was forgotten with it; after one more lookup, none.
    await oneTransaction(eos);
    await oneTransaction(eos);
    expect(lookups).toEqual({ transaction: 2, group: 2 });
  });

  it('a stale group coordinator in TxnOffsetCommit is looked up again inside the retry', async () => {
    const { cluster, lookups, sent } = countingCluster({
      request: 'TxnOffsetCommit',
      call: 1,
      // kafkajs' name for COORDINATOR_NOT_AVAILABLE; unpatched, its retry looked for the Java name.
      type: 'GROUP_COORDINATOR_NOT_AVAILABLE',
    });
    const eos = eosManagerOn({ ...cluster, retry: { retries: 2, initialRetryTime: 1, maxRetryTime: 5 } });
    await eos.initProducerId();
    await oneTransaction(eos);
    // Sent twice, the retry to a group coordinator looked up again; the failure forgot the
    // transaction's coordinator too, so the EndTxn looked it up again as well.
    expect(sent.filter((s) => s === 'TxnOffsetCommit')).toHaveLength(2);
    expect(lookups).toEqual({ transaction: 2, group: 2 });
    await oneTransaction(eos);
    await oneTransaction(eos);
    expect(lookups).toEqual({ transaction: 2, group: 2 });
  });

  it('keeps them through a failure that says nothing of the coordinator (CONCURRENT_TRANSACTIONS)', async () => {
    const { cluster, lookups, sent } = countingCluster({
      request: 'AddOffsetsToTxn',
      call: 2,
      type: 'CONCURRENT_TRANSACTIONS',
    });
    const eos = eosManagerOn(cluster);
    await eos.initProducerId();
    await oneTransaction(eos);
    // Not the transaction's first request (its partitions were added): thrown as it came.
    await expect(oneTransaction(eos)).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
    await eos.abort();
    expect(sent.at(-1)).toBe('EndTxn');
    await oneTransaction(eos);
    expect(lookups).toEqual({ transaction: 1, group: 1 });
  });
});

describe('kafkajs transactions begun while the last one completes (patched: sent again after 5 ms)', () => {
  it("sends a transaction's first request again after 5, 10, 20 ms while the coordinator answers CONCURRENT_TRANSACTIONS", async () => {
    for (const request of ['AddPartitionsToTxn', 'AddOffsetsToTxn']) {
      const { cluster, sent } = countingCluster({
        request,
        call: 2,
        type: 'CONCURRENT_TRANSACTIONS',
        times: 3,
      });
      const eos = eosManagerOn(cluster);
      await eos.initProducerId();
      await offsetsOnlyOr(request, eos);
      const began = performance.now();
      await offsetsOnlyOr(request, eos);
      const tookMs = performance.now() - began;
      // Three refusals, then accepted: four sendings in ~35 ms (kafkajs' own retrier waited 300 ms and more).
      expect(sent.filter((s) => s === request)).toHaveLength(5);
      expect(tookMs).toBeGreaterThanOrEqual(30);
      expect(tookMs).toBeLessThan(250);
      expect(sent.filter((s) => s === 'EndTxn')).toHaveLength(2);
    }
  });

  it('gives up after 2 s and throws what the coordinator answered', async () => {
    vi.useFakeTimers();
    try {
      const { cluster, sent, sentAt } = countingCluster({
        request: 'AddPartitionsToTxn',
        call: 1,
        type: 'CONCURRENT_TRANSACTIONS',
        times: Number.POSITIVE_INFINITY,
      });
      const eos = eosManagerOn(cluster);
      await eos.initProducerId();
      const outcome = oneTransaction(eos).then(
        () => undefined,
        (e: { type?: string }) => e,
      );
      await vi.advanceTimersByTimeAsync(2_100);
      expect(await outcome).toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
      // Sent at 0, 5, 15, 35, 75 ms, then every 40 ms while the next one is within 2 s of the first.
      const times = sentAt.filter((_, i) => sent[i] === 'AddPartitionsToTxn');
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(gaps.slice(0, 5)).toEqual([5, 10, 20, 40, 40]);
      expect(new Set(gaps.slice(3))).toEqual(new Set([40]));
      const span = (times.at(-1) as number) - (times[0] as number);
      expect(span).toBeLessThanOrEqual(2_000);
      expect(span + 40).toBeGreaterThan(2_000);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** A transaction with partitions, or (for AddOffsetsToTxn) one that only commits offsets, so it is the first request. */
async function offsetsOnlyOr(request: string, eos: EosManager): Promise<void> {
  if (request !== 'AddOffsetsToTxn') return oneTransaction(eos);
  eos.beginTransaction();
  await eos.sendOffsets({
    consumerGroupId: 'g',
    topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
  });
  await eos.commit();
}
