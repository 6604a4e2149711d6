import type { KafkaClient } from '@shopfloor/kafka';
import { describe, expect, it } from 'vitest';
import {
  AWAITED_FETCH,
  AWAITED_WINDOW_MS,
  BULK_FETCH,
  createProjectorConsumer,
  type FetchWait,
  fetchWaitOf,
  GROUP_COMMIT_WINDOW_MS,
  groupWindowMs,
  hurryWhenAwaited,
  IMMEDIATE_FETCH,
  type OutcomeDemand,
  QUIET_AFTER_MS,
  QUIET_FETCH,
} from './projector-runner.ts';

const demand = (awaited: boolean, idleWindowMs = 250): OutcomeDemand => ({
  idleWindowMs,
  awaited: () => awaited,
  onAwaited: () => () => {},
});

describe('groupWindowMs', () => {
  it('is 0 for an immediate lane, whatever the demand', () => {
    expect(groupWindowMs('immediate', undefined)).toBe(0);
    expect(groupWindowMs('immediate', demand(false))).toBe(0);
  });

  it('is the group-commit window for a bulk projector without demand, or while a request waits', () => {
    expect(groupWindowMs('bulk', undefined)).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs(undefined, undefined)).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs('bulk', demand(true))).toBe(GROUP_COMMIT_WINDOW_MS);
  });

  it('is the idle window while nobody waits, never below the group-commit window', () => {
    expect(groupWindowMs('bulk', demand(false))).toBe(250);
    expect(groupWindowMs('bulk', demand(false, 0))).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs('bulk', demand(false, GROUP_COMMIT_WINDOW_MS - 1))).toBe(GROUP_COMMIT_WINDOW_MS);
  });

  it('is the group-commit window for a demand without an idle window, awaited or not', () => {
    const noIdle: OutcomeDemand = { awaited: () => false, onAwaited: () => () => {} };
    expect(groupWindowMs('bulk', noIdle)).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs('bulk', { ...noIdle, awaited: () => true })).toBe(GROUP_COMMIT_WINDOW_MS);
  });
});

/** A demand that counts its waiters; `set` changes the count. */
const countingDemand = (initial: number) => {
  let waiting = initial;
  const demand: OutcomeDemand = {
    awaited: () => waiting > 0,
    onAwaited: () => () => {},
    waiting: () => waiting,
  };
  return {
    demand,
    set: (n: number) => {
      waiting = n;
    },
  };
};

describe('groupWindowMs with a demand that counts its waiters', () => {
  it('is short while exactly one request waits, and follows the count as it changes', () => {
    const counter = countingDemand(1);
    const d = counter.demand;
    expect(groupWindowMs('bulk', d)).toBe(AWAITED_WINDOW_MS);
    expect(AWAITED_WINDOW_MS).toBeLessThan(GROUP_COMMIT_WINDOW_MS);
    // Several waiting: their batches commit one after another; the full window gathers them.
    counter.set(2);
    expect(groupWindowMs('bulk', d)).toBe(GROUP_COMMIT_WINDOW_MS);
    counter.set(0);
    expect(groupWindowMs('bulk', d)).toBe(GROUP_COMMIT_WINDOW_MS);
    // With an idle window, nobody waiting keeps the idle one and one waiting the short one.
    const idle = { ...d, idleWindowMs: 250 };
    expect(groupWindowMs('bulk', idle)).toBe(250);
    counter.set(1);
    expect(groupWindowMs('bulk', idle)).toBe(AWAITED_WINDOW_MS);
  });

  it('stays 0 for an immediate lane', () => {
    expect(groupWindowMs('immediate', countingDemand(1).demand)).toBe(0);
  });
});

describe('fetchWaitOf', () => {
  it('answers an immediate lane at the first record, whatever the demand', () => {
    expect(fetchWaitOf('immediate', undefined)).toEqual({ minBytes: 1, maxWaitTimeInMs: 100 });
    expect(fetchWaitOf('immediate', demand(true))).toBe(IMMEDIATE_FETCH);
    expect(fetchWaitOf('immediate', demand(false))).toBe(IMMEDIATE_FETCH);
  });

  it('holds a bulk fetch for 1 MiB up to 30 ms without demand, or with a demand that does not count its waiters', () => {
    expect(fetchWaitOf('bulk', undefined)).toEqual({ minBytes: 1024 * 1024, maxWaitTimeInMs: 30 });
    expect(fetchWaitOf(undefined, undefined)).toBe(BULK_FETCH);
    expect(fetchWaitOf('bulk', demand(true))).toBe(BULK_FETCH);
    expect(fetchWaitOf('bulk', demand(false))).toBe(BULK_FETCH);
  });

  it('answers a bulk fetch at the first record while exactly one request waits, and follows the count as it changes', () => {
    const counter = countingDemand(1);
    const d = counter.demand;
    expect(fetchWaitOf('bulk', d)).toEqual({ minBytes: 1, maxWaitTimeInMs: 30 });
    expect(fetchWaitOf('bulk', d)).toBe(AWAITED_FETCH);
    counter.set(0);
    expect(fetchWaitOf('bulk', d)).toBe(BULK_FETCH);
    // Several waiting: their batches commit one after another; the hold gathers them into one insert.
    counter.set(2);
    expect(fetchWaitOf('bulk', d)).toBe(BULK_FETCH);
    counter.set(8);
    expect(fetchWaitOf('bulk', d)).toBe(BULK_FETCH);
  });

  it('holds a fetch for 500 ms but answers it at the first record once the input is quiet, unless exactly one request waits', () => {
    expect(QUIET_FETCH).toEqual({ minBytes: 1, maxWaitTimeInMs: 500 });
    expect(fetchWaitOf('bulk', undefined, true)).toBe(QUIET_FETCH);
    expect(fetchWaitOf('immediate', undefined, true)).toBe(QUIET_FETCH);
    expect(fetchWaitOf('bulk', countingDemand(2).demand, true)).toBe(QUIET_FETCH);
    expect(fetchWaitOf('bulk', countingDemand(1).demand, true)).toBe(AWAITED_FETCH);
    expect(fetchWaitOf('immediate', countingDemand(1).demand, true)).toBe(QUIET_FETCH);
    expect(fetchWaitOf('immediate', countingDemand(1).demand, false)).toBe(IMMEDIATE_FETCH);
  });
});

describe('createProjectorConsumer', () => {
  type Given = { fetchWait?: () => FetchWait; minBytes?: number; maxWaitTimeInMs?: number };
  type BatchListener = (event: { payload: { batchSize: number } }) => void;
  /**
   * The options kafkajs' consumer would get, and the batch event it would emit (the consumer itself
   * is not needed to ask its fetches' wait).
   */
  const optionsGiven = (
    options: Omit<Parameters<typeof createProjectorConsumer>[1], 'groupId' | 'sessionTimeoutMs'>,
  ) => {
    let given: Given = {};
    const listeners: BatchListener[] = [];
    const kafka = {
      consumer: (o: Given) => {
        given = o;
        return {
          events: { START_BATCH_PROCESS: 'consumer.start_batch_process' },
          on: (event: string, listener: BatchListener) => {
            expect(event).toBe('consumer.start_batch_process');
            listeners.push(listener);
          },
        };
      },
    } as unknown as KafkaClient;
    createProjectorConsumer(kafka, { groupId: 'g', sessionTimeoutMs: 10_000, ...options });
    const batch = (batchSize: number) => {
      for (const l of listeners) l({ payload: { batchSize } });
    };
    return Object.assign(given, { batch });
  };

  it('asks each fetch its wait from the demand and counts the ones answered at the first record', () => {
    const counter = countingDemand(1);
    let awaited = 0;
    const given = optionsGiven({
      grouping: 'bulk',
      demand: counter.demand,
      metrics: { awaitedFetch: () => awaited++ },
    });
    expect(given.fetchWait?.()).toBe(AWAITED_FETCH);
    expect(given.fetchWait?.()).toBe(AWAITED_FETCH);
    counter.set(2);
    expect(given.fetchWait?.()).toBe(BULK_FETCH);
    counter.set(0);
    expect(given.fetchWait?.()).toBe(BULK_FETCH);
    expect(awaited).toBe(2);
  });

  it('keeps the bulk wait without a demand that counts its waiters, while records come', () => {
    for (const d of [undefined, demand(true)]) {
      const given = optionsGiven({ grouping: 'bulk', demand: d, metrics: { awaitedFetch: () => {} } });
      expect({ minBytes: given.minBytes, maxWaitTimeInMs: given.maxWaitTimeInMs }).toEqual(BULK_FETCH);
      expect(given.fetchWait?.()).toBe(BULK_FETCH);
    }
  });

  it('waits as a quiet input does once no record came for QUIET_AFTER_MS, and as before at the next record', () => {
    let clock = 1_000_000;
    for (const grouping of ['bulk', 'immediate'] as const) {
      const given = optionsGiven({ grouping, now: () => clock });
      const busy = grouping === 'bulk' ? BULK_FETCH : IMMEDIATE_FETCH;
      expect(given.fetchWait?.()).toBe(busy);
      clock += QUIET_AFTER_MS - 1;
      expect(given.fetchWait?.()).toBe(busy);
      clock += 1;
      expect(given.fetchWait?.()).toBe(QUIET_FETCH);
      // A batch of commit markers only is no record.
      given.batch(0);
      expect(given.fetchWait?.()).toBe(QUIET_FETCH);
      given.batch(3);
      expect(given.fetchWait?.()).toBe(busy);
      clock += QUIET_AFTER_MS;
      expect(given.fetchWait?.()).toBe(QUIET_FETCH);
    }
  });
});

describe('hurryWhenAwaited', () => {
  const listening = (idleWindowMs: number) => {
    const listeners = new Set<() => void>();
    const d: OutcomeDemand = {
      idleWindowMs,
      awaited: () => false,
      onAwaited: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return { d, listeners };
  };

  it('hurries the queue each time a request starts to wait, until detached', () => {
    const { d, listeners } = listening(250);
    let hurried = 0;
    const detach = hurryWhenAwaited({ hurry: () => hurried++ }, d);
    for (const l of listeners) l();
    for (const l of listeners) l();
    expect(hurried).toBe(2);
    detach();
    expect(listeners.size).toBe(0);
  });

  it('does not listen without an idle window longer than the group-commit one (the grouping stays as it was)', () => {
    for (const idle of [0, GROUP_COMMIT_WINDOW_MS]) {
      const { d, listeners } = listening(idle);
      hurryWhenAwaited({ hurry: () => {} }, d);
      expect(listeners.size).toBe(0);
    }
    expect(hurryWhenAwaited({ hurry: () => {} }, undefined)).toBeTypeOf('function');
  });
});
