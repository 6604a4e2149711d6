import { inMemoryStateStores } from '@shopfloor/dedupe';
import { fetchLogRanges, readPartitions } from '@shopfloor/kafka';
import type { MetricStateRecord, ProcessedMetricEventRecord } from '@shopfloor/metric-events';
import { kafkaTest, uniqueTopic } from '@shopfloor/test-support';
import { pino } from 'pino';
import { describe, expect } from 'vitest';
import { intakeMetricEvents } from '../src/metric-intake.ts';
import { startMetricProcessor } from '../src/metric-processor.ts';
import { publishMetricIntake } from '../src/metric-publisher.ts';
import { metricStreamOnSuite } from './metric-stream-on-suite.ts';

// The processor against the real broker and registry (Avro): exactly one counted decision per
// identity, a new member that restores the processed identities from the changelog (a fresh store,
// as after losing its disk) and answers the same events as duplicates, and a simulated failure
// that does not block the identical event sent later.
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const event = (amount: number, over: Record<string, unknown> = {}) => ({
  client_id: 'c-1',
  payload: { metric: 'clicks', amount, timestamp: '2026-03-01T10:00:00.000Z' },
  ...over,
});

describe('the metric-events processor', () => {
  kafkaTest(
    'dedupes by content hash across members, restores from the changelog, lets a failed identity through later',
    async ({ kafka }) => {
      const { topics, codecs, producer } = await metricStreamOnSuite(kafka, 'metric', 2);
      const groupId = uniqueTopic('metric-group');
      const post = (requestId: string, elements: unknown[]) =>
        publishMetricIntake(
          producer,
          topics,
          codecs,
          intakeMetricEvents(elements, { requestId, receivedAt: Date.now(), allowSimulatedFailures: true }),
        );
      const start = () =>
        startMetricProcessor({
          kafka,
          codecs,
          topics,
          groupId,
          partitions: 2,
          stores: inMemoryStateStores<MetricStateRecord>(),
          log,
          sessionTimeoutMs: 6_000,
        });

      const first = await start();
      await post('r1', [event(1), event(2), event(1), event(3, { simulateFailure: true })]);
      await until(() => first.counters.processed + first.counters.duplicates + first.counters.failed === 4);
      expect(first.counters).toMatchObject({ processed: 2, duplicates: 1, failed: 1 });
      await first.stop();

      // A new member with an empty store: everything it knows comes from metric.events.state.
      const second = await start();
      await post('r2', [event(1), event(2), event(3)]);
      await until(() => second.counters.processed + second.counters.duplicates === 3);
      expect(second.counters).toMatchObject({ processed: 1, duplicates: 2, failed: 0 });
      await second.stop();
      await producer.disconnect();

      // Every decision on metric.events.processed (read_committed): the last record of a partition
      // sits just before the commit marker of its transaction, at high watermark - 2.
      const ranges = (await fetchLogRanges(kafka, topics.processed)).filter((r) => r.end > 0n);
      const decisions: ProcessedMetricEventRecord[] = [];
      await readPartitions(kafka, {
        topic: topics.processed,
        from: new Map(ranges.map((r) => [r.partition, '0'])),
        allPartitions: [0, 1],
        isLast: (p, m) => BigInt(m.offset) >= (ranges.find((r) => r.partition === p)?.end ?? 0n) - 2n,
        onMessages: async (_p, messages) => {
          for (const m of messages) {
            const d = await codecs.processed.decode(m.value);
            if (d.ok) decisions.push(d.value);
          }
        },
      });
      expect(decisions).toHaveLength(6);
      const counted = decisions.filter((d) => !d.duplicate);
      expect(counted.map((d) => d.amount).sort()).toEqual([1, 2, 3]);
      expect(new Set(counted.map((d) => d.id)).size).toBe(3);
    },
  );

  kafkaTest('a 10 000-event backlog on one partition is processed in full', async ({ kafka }) => {
    const { topics, codecs, producer } = await metricStreamOnSuite(kafka, 'metric-backlog', 1);
    // 10 000 distinct events published before the processor starts, so its fetches are full ones.
    // (Unlike the sensor processor's, its outputs for a full fetch fitted the broker's default
    // message size already: this passes without LARGE_MESSAGE_CONFIGS too.)
    for (let r = 0; r < 10; r++) {
      const elements = Array.from({ length: 1_000 }, (_, i) => event(r * 1_000 + i + 1));
      await publishMetricIntake(
        producer,
        topics,
        codecs,
        intakeMetricEvents(elements, {
          requestId: `b${r}`,
          receivedAt: Date.now(),
          allowSimulatedFailures: false,
        }),
      );
    }
    const processor = await startMetricProcessor({
      kafka,
      codecs,
      topics,
      groupId: uniqueTopic('metric-backlog-group'),
      partitions: 1,
      stores: inMemoryStateStores<MetricStateRecord>(),
      log,
      sessionTimeoutMs: 6_000,
    });
    try {
      await until(() => processor.counters.processed + processor.counters.duplicates >= 10_000);
      expect(processor.counters).toMatchObject({ processed: 10_000, duplicates: 0, failed: 0 });
    } finally {
      await processor.stop();
      await producer.disconnect();
    }
  });
});

async function until(done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
