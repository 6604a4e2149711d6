import { ok } from '@shopfloor/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { TransactionFailure } from './commit-partition-batch-step.ts';
import { type CommitEntries, createFetchTransactions } from './fetch-transaction.ts';
import { createPartitionBatchHandler, type PartitionBatch } from './partition-batch-handler.ts';
import type { PartitionOwner } from './partition-owner.ts';
import { RestoreCoordinator } from './restore-coordinator.ts';

// The handler with a state that runs ahead of the log (as the sensor processor's): what it decides
// when kafkajs hands it a batch again after a failure that was not the transaction's own.
const log = pino({ level: 'silent' });
const notCoordinator = Object.assign(new Error('This is not the correct coordinator for this group'), {
  name: 'KafkaJSProtocolError',
  type: 'NOT_COORDINATOR',
  retriable: true,
});
const brokerDown = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), {
  name: 'KafkaJSConnectionError',
  retriable: true,
});

/** A partition's state: the identities it has seen; the log holds the committed ones. */
type Store = { partition: number; seen: Set<string> };

function setUp(commitFailures: unknown[]) {
  const store: Store = { partition: 0, seen: new Set() };
  const committedLog = new Set<string>();
  const decisions: string[][] = [];
  const restores = new RestoreCoordinator(async (partitions) => {
    store.seen = new Set(committedLog); // a restore reads back what the changelog holds
    return partitions.map((partition) => ({
      partition,
      from: '0',
      to: '0',
      records: committedLog.size,
      ms: 0,
    }));
  });
  restores.assign([0]);
  const commit: CommitEntries = async (entries) => {
    const failure = commitFailures.shift();
    if (failure) throw failure;
    return entries.map(() => undefined);
  };
  const handle = createPartitionBatchHandler<Store>({
    name: 'test',
    owners: { forPartition: () => ({ store }) as PartitionOwner<Store> },
    restores,
    stateAppliedOnCommit: false,
    fetchTransactions: createFetchTransactions({ name: 'test', commit, log }),
    log,
    processBatch: async (state, batch) => {
      const decided = batch.messages.map((m) => {
        const id = String(m.value);
        const decision = state.seen.has(id) ? `${id}:duplicate` : `${id}:new`;
        state.seen.add(id); // ahead of the log: applied before the commit
        return decision;
      });
      decisions.push(decided);
      return ok({
        topicMessages: [],
        committed: () => {
          for (const m of batch.messages) committedLog.add(String(m.value));
        },
      });
    },
  });
  return { handle, decisions, restores };
}

const batchOf = (ids: string[], heartbeat: () => Promise<void>): PartitionBatch => ({
  partition: 0,
  messages: ids.map((id, i) => ({ value: Buffer.from(id), offset: String(i) })),
  lastOffset: String(ids.length - 1),
  heartbeat,
  isActive: () => true,
});

describe('partition batch handler, state ahead of the log', () => {
  it('a batch handed out again after its heartbeat failed between two tries is decided on restored state', async () => {
    // The transaction's send fails (the broker is going down); before the retry, the heartbeat
    // cannot reach the broker: that error leaves the handler, and kafkajs fetches the batch again.
    const { handle, decisions } = setUp([new TransactionFailure([0], 'send', notCoordinator)]);
    await expect(
      handle(
        batchOf(['r1', 'r2'], async () => {
          throw brokerDown;
        }),
      ),
    ).rejects.toBe(brokerDown);
    expect(await handle(batchOf(['r1', 'r2'], async () => {}))).toBe('committed');
    expect(decisions).toEqual([
      ['r1:new', 'r2:new'],
      ['r1:new', 'r2:new'], // not duplicates of the try that never committed
    ]);
  });

  it('a committed batch handed out again is a duplicate (the restore keeps what did commit)', async () => {
    const { handle, decisions, restores } = setUp([]);
    expect(await handle(batchOf(['r1'], async () => {}))).toBe('committed');
    restores.invalidate(0);
    expect(await handle(batchOf(['r1'], async () => {}))).toBe('committed');
    expect(decisions).toEqual([['r1:new'], ['r1:duplicate']]);
  });
});
