import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type PartitionBatchToCommit, TransactionFailure } from './commit-partition-batch-step.ts';
import { type CommitEntries, createFetchTransactions } from './fetch-transaction.ts';

// The collector alone, with a fake commit: which batches share a transaction, and what each learns.
const log = pino({ level: 'silent' });
const timeout = Object.assign(new Error('Request timed out'), {
  name: 'KafkaJSRequestTimeoutError',
  retriable: true,
});
const batch = (partition: number) => ({
  partition,
  messages: [],
  lastOffset: '1',
  heartbeat: async () => {},
  isActive: () => true,
});
const toCommit = (partition: number): PartitionBatchToCommit => ({
  partition,
  lastOffset: '1',
  topicMessages: [],
});

function setUp(failures: unknown[] = []) {
  const transactions: number[][] = [];
  const commit: CommitEntries = async (entries) => {
    transactions.push(entries.map((e) => e.toCommit.partition));
    const failure = failures.shift();
    if (failure) throw failure;
    return entries.map((e) => `checkpoint-${e.toCommit.partition}`);
  };
  const failed: string[] = [];
  const fetch = createFetchTransactions({
    name: 'test',
    commit,
    log,
    onTransactionFailed: (p) => failed.push(p),
  });
  return { fetch, transactions, failed };
}

describe('createFetchTransactions', () => {
  it('commits the batches that entered together in one transaction, once the slowest joined', async () => {
    const { fetch, transactions } = setUp();
    const tickets = [0, 1, 2].map((p) => fetch.enter(batch(p)));
    const first = tickets[0]!.join(toCommit(0));
    const second = tickets[1]!.join(toCommit(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transactions).toEqual([]); // partition 2 is still working
    const third = tickets[2]!.join(toCommit(2));
    const shares = await Promise.all([first, second, third]);
    expect(transactions).toEqual([[0, 1, 2]]);
    expect(shares.map((s) => [s.checkpoint, s.batches])).toEqual([
      ['checkpoint-0', 3],
      ['checkpoint-1', 3],
      ['checkpoint-2', 3],
    ]);
  });

  it('commits without a batch that left, and a later batch in a transaction of its own', async () => {
    const { fetch, transactions } = setUp();
    const a = fetch.enter(batch(0));
    const b = fetch.enter(batch(1));
    const joined = a.join(toCommit(0));
    b.leave();
    await joined;
    await fetch.enter(batch(1)).join(toCommit(1));
    expect(transactions).toEqual([[0], [1]]);
    expect(() => b.leave()).toThrow(/used once/);
  });

  it('retries a transient failure of the send phase, then rejects every batch with a failure it cannot retry', async () => {
    const retried = setUp([new TransactionFailure([0, 1], 'send', timeout)]);
    const [x, y] = [retried.fetch.enter(batch(0)), retried.fetch.enter(batch(1))];
    await Promise.all([x.join(toCommit(0)), y.join(toCommit(1))]);
    expect(retried.transactions).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(retried.failed).toEqual(['send']);

    const inDoubt = new TransactionFailure([0, 1], 'commit', timeout);
    const failing = setUp([inDoubt]);
    const [p, q] = [failing.fetch.enter(batch(0)), failing.fetch.enter(batch(1))];
    const outcomes = await Promise.allSettled([p.join(toCommit(0)), q.join(toCommit(1))]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([inDoubt, inDoubt]);
    expect(failing.transactions).toHaveLength(1);
    expect(failing.failed).toEqual(['commit']);
  });
});
