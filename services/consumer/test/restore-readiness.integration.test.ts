import type { ShopfloorConfig } from '@shopfloor/config';
import { inMemoryStateStores, type StateStoreFactory } from '@shopfloor/dedupe';
import { createHttpApp } from '@shopfloor/http-kit';
import {
  createIdempotentProducer,
  ensureTopics,
  jsonCodecs,
  type KafkaClient,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { probeRoutes, restoreDone } from '@shopfloor/ops';
import { kafkaTest } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import type { DedupeRunner } from '../src/dedupe-runner.ts';
import { createDedupeService } from '../src/dedupe-service.ts';
import { dedupeTestConfig, rawEventRecord } from './dedupe-test-fixtures.ts';

// "Restore done" on /ready, against the real broker: a member that starts on an existing changelog
// with an empty local store is not ready until the state of every partition it holds is restored,
// although no new record arrives (the restore starts at the group join, not at the first batch);
// a rebalance makes it not ready again until its new assignment is restored.
const codecs = jsonCodecs();
const PARTITIONS = 3;
const EVENTS = 3_000;
const raw = (i: number) => ({
  key: `R-${i}`,
  value: codecs.raw.encode(rawEventRecord(`R-${i}`)),
  partition: i % PARTITIONS,
});

type Member = {
  runner: DedupeRunner;
  stores: StateStoreFactory;
  ready: () => Promise<{ status: number; body: any }>;
  /** Every readiness seen by the poller, in order. */
  seen: { ready: boolean; pending: number[]; assigned: number[] }[];
  stop: () => Promise<void>;
};

async function startMember(kafka: KafkaClient, config: ShopfloorConfig): Promise<Member> {
  const stores = inMemoryStateStores();
  const runner = await createDedupeService(config, { kafka, codecs, stores, log: pino({ level: 'silent' }) });
  const app = createHttpApp({ openapi: false, aliasPrefix: '' });
  await app.register(probeRoutes, { probes: { restore: restoreDone(() => runner.restoreProgress()) } });
  const seen: Member['seen'] = [];
  const probe = restoreDone(() => runner.restoreProgress());
  // The same probe /ready runs, sampled often, to see the not-ready window however short it is.
  const poller = setInterval(() => {
    const { pending, assigned } = runner.restoreProgress();
    void probe().then(
      () => seen.push({ ready: true, pending: [...pending], assigned: [...assigned] }),
      () => seen.push({ ready: false, pending: [...pending], assigned: [...assigned] }),
    );
  }, 5);
  return {
    runner,
    stores,
    seen,
    ready: async () => {
      const res = await app.inject('/ready');
      return { status: res.statusCode, body: res.json() };
    },
    async stop() {
      clearInterval(poller);
      await app.close();
      await runner.stop();
      await stores.close();
    },
  };
}

/** Entries held by the member for the partitions assigned to it. */
const heldEntries = (m: Member) => m.runner.assigned().reduce((n, p) => n + m.stores.open(p).count(), 0);

kafkaTest(
  '/ready: not ready until every assigned partition is restored, and again after a rebalance',
  async ({ kafka }) => {
    const config = dedupeTestConfig('restore-ready', PARTITIONS);
    await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, PARTITIONS));
    const members: Member[] = [];
    try {
      // 1. A first member decides EVENTS events: the changelog (events.state) now holds them.
      const producer = createIdempotentProducer(kafka);
      await producer.connect();
      await producer.send({
        topic: config.topics.raw,
        messages: Array.from({ length: EVENTS }, (_, i) => raw(i)),
      });
      await producer.disconnect();
      const first = await startMember(kafka, config);
      members.push(first);
      await expect.poll(() => first.runner.counters.records, { timeout: 60_000 }).toBe(EVENTS);
      await first.stop();
      members.pop();

      // 2. A new member with an empty local store, and no new record: it restores at the join.
      const a = await startMember(kafka, config);
      members.push(a);
      const before = await a.ready();
      expect(before.status).toBe(503);
      // Not joined yet, or joined and restoring (consumer.run may return after the join).
      expect(before.body.checks[0].error).toMatch(
        /^(has not joined its consumer group yet|state of partition\(s\) 0, 1, 2 \(of 3 assigned\) not restored yet)$/,
      );
      await expect.poll(async () => (await a.ready()).status, { timeout: 60_000 }).toBe(200);
      expect(a.runner.assigned()).toEqual([0, 1, 2]);
      expect(heldEntries(a)).toBe(EVENTS);
      expect(a.runner.counters.batches).toBe(0); // restored without a batch to decide
      const firstReady = a.seen.findIndex((s) => s.ready);
      expect(a.seen.slice(0, firstReady).some((s) => s.assigned.length === 3 && s.pending.length > 0)).toBe(
        true,
      );

      // 3. A second member joins: both are not ready until their new assignments are restored.
      const seenBefore = a.seen.length;
      const b = await startMember(kafka, config);
      members.push(b);
      await expect
        .poll(() => a.runner.assigned().length + b.runner.assigned().length, { timeout: 60_000 })
        .toBe(PARTITIONS);
      await expect.poll(async () => (await a.ready()).status, { timeout: 60_000 }).toBe(200);
      await expect.poll(async () => (await b.ready()).status, { timeout: 60_000 }).toBe(200);
      expect([...a.runner.assigned(), ...b.runner.assigned()].sort()).toEqual([0, 1, 2]);
      expect(heldEntries(a) + heldEntries(b)).toBe(EVENTS);
      // a went through a not-ready window after the rebalance (a new assignment being restored).
      const afterJoin = a.seen.slice(seenBefore);
      const rebalanced = afterJoin.findIndex((s) => s.assigned.length < 3);
      expect(rebalanced).toBeGreaterThanOrEqual(0);
      expect(afterJoin[rebalanced]!.ready).toBe(false);
      expect(b.seen.some((s) => !s.ready && s.pending.length > 0)).toBe(true);
      // Nothing new to decide: whatever a member fetched again was decided as already known.
      for (const m of [a, b])
        expect(m.runner.counters, JSON.stringify(m.runner.counters)).toMatchObject({
          accepted: 0,
          updated: 0,
        });
    } finally {
      for (const m of members.reverse()) await m.stop();
    }
  },
  180_000,
);
