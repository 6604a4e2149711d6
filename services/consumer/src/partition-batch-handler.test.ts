import { readFileSync } from 'node:fs';
import type { RawEventRecord } from '@shopfloor/contracts';
import { type HorizonSweeper, InMemoryStateStore, noHorizon } from '@shopfloor/dedupe';
import { ConsumerStopError, jsonCodecs } from '@shopfloor/kafka';
import type { DedupeMetrics } from '@shopfloor/metrics';
import {
  type CommitEntries,
  createFetchTransactions,
  createPartitionBatchHandler,
  type PartitionBatchToCommit,
  type PartitionOwner,
  RestoreCoordinator,
  TransactionFailure,
} from '@shopfloor/stream-runner';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDecidePartitionBatchStep } from './decide-partition-batch-step.ts';
import { type BadRecordPolicy, createDecodeRawBatchStep } from './decode-raw-batch-step.ts';
import { createDedupeCounters } from './dedupe-counters.ts';
import { encodePartitionBatch } from './partition-batch-messages.ts';

// The handler with the dedupe stream's decide step and small fakes of its ports: a commit step that fails as told, a restore that
// counts its runs. The kafka client is never connected (the fake commit never asks for a producer).
const record: RawEventRecord = JSON.parse(
  readFileSync(
    new URL('../../../packages/contracts/fixtures/raw-event-record.v1.json', import.meta.url),
    'utf8',
  ),
);
const codecs = jsonCodecs();
const topics = {
  raw: 'events.raw',
  state: 'events.state',
  changes: 'events.changes',
  invalid: 'events.invalid',
};
const message = (offset: string, value = Buffer.from(JSON.stringify(record))) => ({
  key: null,
  value,
  offset,
});
const timeout = Object.assign(new Error('Request timed out'), {
  name: 'KafkaJSRequestTimeoutError',
  retriable: true,
});
const fenced = Object.assign(new Error('fenced'), { name: 'KafkaJSProtocolError', type: 'PRODUCER_FENCED' });
const tooLarge = Object.assign(new Error('too large'), {
  name: 'KafkaJSProtocolError',
  type: 'MESSAGE_TOO_LARGE',
});

function setUp(
  options: { failures?: TransactionFailure[]; policy?: BadRecordPolicy; sweepHorizon?: HorizonSweeper } = {},
) {
  const stores = [new InMemoryStateStore(0), new InMemoryStateStore(1)];
  const store = stores[0]!;
  const failures = [...(options.failures ?? [])];
  /** Each transaction: the partition batches it covered. */
  const transactions: PartitionBatchToCommit[][] = [];
  const commit: CommitEntries = async (entries) => {
    transactions.push(entries.map((e) => e.toCommit));
    const failure = failures.shift();
    if (failure) throw failure;
    return entries.map(() => String(transactions.length * 10));
  };
  let restoreRuns = 0;
  const restores = new RestoreCoordinator(async (partitions) => {
    restoreRuns++;
    return partitions.map((partition) => ({ partition, from: '0', to: '0', records: 0, ms: 0 }));
  });
  restores.assign([0, 1]);
  const counters = createDedupeCounters();
  const reported: { committed: Parameters<DedupeMetrics['batchCommitted']>[0][]; failed: string[] } = {
    committed: [],
    failed: [],
  };
  const metrics: DedupeMetrics = {
    batchCommitted: (b) => reported.committed.push(b),
    transactionFailed: (phase) => reported.failed.push(phase),
    stateRestored: () => {},
    sampleStateEntries: () => {},
  };
  const log = pino({ level: 'silent' });
  const handle = createPartitionBatchHandler({
    name: 'dedupe',
    owners: { forPartition: (p: number) => ({ store: stores[p]! }) as PartitionOwner<InMemoryStateStore> },
    restores,
    processBatch: createDecidePartitionBatchStep({
      decodeRawBatch: createDecodeRawBatchStep({
        codec: codecs.raw,
        policy: options.policy ?? 'dead-letter',
        topic: 'events.raw',
      }),
      sweepHorizon: options.sweepHorizon ?? noHorizon,
      encodePartitionBatch: (batch) => encodePartitionBatch(codecs, topics, batch),
      counters,
      metrics,
    }),
    stateAppliedOnCommit: true,
    fetchTransactions: createFetchTransactions({
      name: 'dedupe',
      commit,
      log,
      onTransactionFailed: (phase) => metrics.transactionFailed(phase),
    }),
    log,
  });
  const batch = (messages = [message('5')], partition = 0) => ({
    partition,
    messages,
    lastOffset: messages[messages.length - 1]!.offset,
    heartbeat: async () => {},
    isActive: () => true,
  });
  const commits = () => transactions.flat();
  return {
    handle,
    batch,
    store,
    stores,
    transactions,
    commits,
    counters,
    reported,
    restoreRuns: () => restoreRuns,
  };
}

describe('handlePartitionBatch', () => {
  it('restores, decides and commits, and only then applies the state', async () => {
    const { handle, batch, store, commits, counters, restoreRuns } = setUp();
    expect(await handle(batch([message('5'), message('6', Buffer.from('{'))]))).toBe('committed');
    expect(restoreRuns()).toBe(1);
    expect(commits()).toHaveLength(1);
    expect(commits()[0]!.lastOffset).toBe('6');
    expect(commits()[0]!.topicMessages.map((t) => t.topic)).toEqual([
      'events.state',
      'events.changes',
      'events.invalid',
    ]);
    expect(store.get(record.event.eventId)).toBeDefined();
    expect(store.checkpoint()).toBe('10');
    expect(counters).toMatchObject({ batches: 1, records: 2, accepted: 1, invalid: 1 });
  });

  it('retries a transient failure before the commit request in place', async () => {
    const { handle, batch, commits, counters } = setUp({
      failures: [new TransactionFailure([0], 'send', timeout)],
    });
    expect(await handle(batch())).toBe('committed');
    expect(commits()).toHaveLength(2);
    expect(commits()[1]).toEqual(commits()[0]);
    expect(counters.batches).toBe(1);
  });

  it('leaves the batch to be fetched again after restoring, when fenced or when the commit is in doubt', async () => {
    for (const failure of [
      new TransactionFailure([0], 'send', fenced),
      new TransactionFailure([0], 'commit', timeout),
    ]) {
      const { handle, batch, store, counters, restoreRuns } = setUp({ failures: [failure] });
      expect(await handle(batch())).toBe('refetch');
      expect(store.get(record.event.eventId)).toBeUndefined();
      expect(counters.batches).toBe(0);
      expect(await handle(batch())).toBe('committed');
      expect(restoreRuns()).toBe(2);
    }
  });

  it('decides the batch again later when the winner lookup fails, without a new restore', async () => {
    let lookups = 0;
    const sweepHorizon: HorizonSweeper = async () => {
      if (lookups++ === 0) throw new Error('winner lookup failed: HTTP 503');
      return {};
    };
    const { handle, batch, commits, restoreRuns } = setUp({ sweepHorizon });
    expect(await handle(batch())).toBe('refetch');
    expect(commits()).toHaveLength(0);
    expect(await handle(batch())).toBe('committed');
    expect(restoreRuns()).toBe(1);
  });

  it('reports each failed transaction attempt by phase and each committed batch once (metrics port)', async () => {
    const { handle, batch, reported } = setUp({
      failures: [
        new TransactionFailure([0], 'send', timeout),
        new TransactionFailure([0], 'commit', timeout),
      ],
    });
    expect(await handle(batch([message('5'), message('6', Buffer.from('{'))]))).toBe('refetch');
    expect(reported.committed).toEqual([]);
    expect(await handle(batch([message('5'), message('6', Buffer.from('{'))]))).toBe('committed');
    expect(reported.failed).toEqual(['send', 'commit']);
    expect(reported.committed).toEqual([
      {
        records: 2,
        decisions: ['accepted'],
        invalid: 1,
        evicted: 0,
        found: 0,
        transactionSeconds: expect.any(Number),
      },
    ]);
  });

  it('stops on a failure no retry can fix, applying nothing', async () => {
    const { handle, batch, store } = setUp({ failures: [new TransactionFailure([0], 'send', tooLarge)] });
    await expect(handle(batch())).rejects.toBeInstanceOf(ConsumerStopError);
    expect(store.get(record.event.eventId)).toBeUndefined();
  });

  it('stops before deciding anything on an undecodable record with the stop policy', async () => {
    const { handle, batch, commits } = setUp({ policy: 'stop' });
    await expect(handle(batch([message('5'), message('6', Buffer.from('{'))]))).rejects.toThrow(
      /undecodable record at events\.raw partition 0 offset 6/,
    );
    expect(commits).toHaveLength(0);
  });

  it('commits the batches of one fetch, handed out together, in ONE transaction', async () => {
    const { handle, batch, stores, transactions, counters } = setUp();
    const other = { ...record, event: { ...record.event, eventId: 'other-partition-event' } };
    const outcomes = await Promise.all([
      handle(batch([message('5')], 0)),
      handle(batch([message('7', Buffer.from(JSON.stringify(other)))], 1)),
    ]);
    expect(outcomes).toEqual(['committed', 'committed']);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]!.map((b) => [b.partition, b.lastOffset])).toEqual([
      [0, '5'],
      [1, '7'],
    ]);
    expect(stores[0]!.get(record.event.eventId)).toBeDefined();
    expect(stores[1]!.get('other-partition-event')).toBeDefined();
    expect(counters.batches).toBe(2);
  });

  it('rolls back every partition of a failed fetch transaction: nothing applied, each restored and fetched again', async () => {
    const { handle, batch, stores, transactions, restoreRuns } = setUp({
      failures: [new TransactionFailure([0, 1], 'commit', timeout)],
    });
    const other = { ...record, event: { ...record.event, eventId: 'other-partition-event' } };
    const second = () => batch([message('7', Buffer.from(JSON.stringify(other)))], 1);
    expect(await Promise.all([handle(batch()), handle(second())])).toEqual(['refetch', 'refetch']);
    expect(transactions).toHaveLength(1);
    expect(stores[0]!.get(record.event.eventId)).toBeUndefined();
    expect(stores[1]!.get('other-partition-event')).toBeUndefined();
    expect(await Promise.all([handle(batch()), handle(second())])).toEqual(['committed', 'committed']);
    expect(transactions).toHaveLength(2);
    expect(restoreRuns()).toBe(2); // the join's restore, then one restore of both partitions
  });

  it('commits without a batch that left the fetch (its step failed)', async () => {
    let lookups = 0;
    const sweepHorizon: HorizonSweeper = async () => {
      if (lookups++ === 0) throw new Error('winner lookup failed: HTTP 503');
      return {};
    };
    const { handle, batch, transactions } = setUp({ sweepHorizon });
    const outcomes = await Promise.all([handle(batch([message('5')], 0)), handle(batch([message('9')], 1))]);
    expect(outcomes.sort()).toEqual(['committed', 'refetch']);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toHaveLength(1);
  });
});
