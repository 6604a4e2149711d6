import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { produceRecords, testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** Resolves with what `predicate` accepts among the values `subscribe` hands over. */
function next<T>(subscribe: (listener: (value: T) => void) => () => void, predicate: (value: T) => boolean) {
  return new Promise<T>((resolve) => {
    const stop = subscribe((value) => {
      if (!predicate(value)) return;
      stop();
      resolve(value);
    });
  });
}

describe('the patched consumer option fetchWait (per-fetch minBytes and wait, Kafka 3.9)', () => {
  it('is asked before every fetch: held for the whole wait by default, answered at the first record when it says so', async () => {
    const topic = uniqueName('fetch-wait');
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    let firstRecord = false;
    let asked = 0;
    const consumer = kafka.consumer({
      groupId: uniqueName('fetch-wait-group'),
      // The default: the broker holds a fetch until 1 MiB is there or 3 s have passed.
      minBytes: 1024 * 1024,
      maxWaitTimeInMs: 3000,
      fetchWait: () => {
        asked += 1;
        // Answered at the first readable record; the long wait shows it is not the wait that ends it.
        return firstRecord ? { minBytes: 1, maxWaitTimeInMs: 10_000 } : undefined;
      },
    });
    cleanups.push(() => consumer.disconnect());

    // The fetch that returned a record is the last one that ended before its batch is handed over.
    const fetches: number[] = [];
    const fetchListeners = new Set<(duration: number) => void>();
    consumer.on(consumer.events.FETCH, ({ payload }) => {
      fetches.push(payload.duration);
      for (const l of fetchListeners) l(payload.duration);
    });
    const onFetch = (l: (d: number) => void) => {
      fetchListeners.add(l);
      return () => fetchListeners.delete(l);
    };
    const delivered: { value: string; fetchMs: number }[] = [];
    const deliveryListeners = new Set<(v: { value: string; fetchMs: number }) => void>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const d = { value: message.value?.toString() ?? '', fetchMs: fetches.at(-1) ?? -1 };
        delivered.push(d);
        for (const l of deliveryListeners) l(d);
      },
    });
    const onDelivery = (l: (v: { value: string; fetchMs: number }) => void) => {
      deliveryListeners.add(l);
      return () => deliveryListeners.delete(l);
    };
    // Fetching (an empty fetch has ended), so the next record comes through a fetch of its own.
    await next(onFetch, () => true);

    const held = next(onDelivery, (d) => d.value === 'held');
    await produceRecords(kafka, topic, [{ value: 'held' }]);
    // Fewer bytes than minBytes: the broker answered only when the fetch's whole wait had passed.
    expect((await held).fetchMs).toBeGreaterThanOrEqual(2700);

    firstRecord = true;
    // The fetch in flight was asked for before the switch; the one after it asks again.
    await next(onFetch, () => true);
    await sleep(200);
    const first = next(onDelivery, (d) => d.value === 'first');
    await produceRecords(kafka, topic, [{ value: 'first' }]);
    // Answered when the record was there: neither the default 3 s nor the 10 s wait it asked for.
    expect((await first).fetchMs).toBeLessThan(1500);
    expect(delivered.map((d) => d.value)).toEqual(['held', 'first']);
    expect(asked).toBeGreaterThanOrEqual(fetches.length);
  }, 60_000);
});
