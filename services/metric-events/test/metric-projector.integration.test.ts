import { queryMetricFailedPage, queryMetricTotals } from '@shopfloor/clickhouse';
import {
  createGroupSink,
  createRetryWithHeartbeat,
  emptyCounters,
  type FetchedBatch,
  loadSinkState,
} from '@shopfloor/group-projector';
import { fetchCommittedOffsets, fetchLogRanges, readPartitions } from '@shopfloor/kafka';
import { METRIC_WIRE_VERSION, type ProcessedMetricEventRecord } from '@shopfloor/metric-events';
import { kafkaTest, startEmbeddedClickHouse, uniqueTopic } from '@shopfloor/test-support';
import { pino } from 'pino';
import { describe, expect } from 'vitest';
import { createApplyMetricGroupStep } from '../src/apply-metric-group-step.ts';
import { createMetricProjector } from '../src/metric-projector.ts';
import type { MetricOutcomeNotice } from '../src/outcome-waiters.ts';
import { metricStreamOnSuite } from './metric-stream-on-suite.ts';

// The metric projector against the real broker, registry and embedded ClickHouse: a crash between
// the ClickHouse insert and the offset commit (the group recorded in sink_offsets and inserted,
// nothing committed), then a restart: the group is re-formed from its recorded offsets and applied
// again with the same tokens, so every event is counted once, in the table and the rollup.
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
const t0 = Date.parse('2026-03-01T10:00:00Z');

const processed = (i: number, duplicate = false): ProcessedMetricEventRecord => ({
  v: METRIC_WIRE_VERSION,
  requestId: `r-${i}`,
  seq: 0,
  receivedAt: t0,
  id: (duplicate ? i - 1 : i).toString(16).padStart(64, '0'),
  clientId: 'c-1',
  source: null,
  metric: 'clicks',
  amount: i,
  timestampMs: t0 + i * 1000,
  duplicate,
  processedBy: `r-${duplicate ? i - 1 : i}`,
});

describe('the metric projector', () => {
  kafkaTest('counts once after a crash between the insert and the commit', async ({ kafka }) => {
    const ch = await startEmbeddedClickHouse();
    try {
      const { topics, codecs, producer } = await metricStreamOnSuite(kafka, 'metricproj', 1);
      const groupId = uniqueTopic('metric-projector');
      const records = [processed(1), processed(2), processed(3, true), processed(4)];
      await producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: topics.processed,
            messages: records.map((r) => ({ key: r.id, value: codecs.processed.encode(r) })),
          },
          {
            topic: topics.failed,
            messages: [
              {
                key: 'c-1',
                value: codecs.failed.encode({
                  v: METRIC_WIRE_VERSION,
                  requestId: 'r-9',
                  seq: 0,
                  receivedAt: t0,
                  id: null,
                  clientId: 'c-1',
                  reason: 'MISSING_FIELD',
                  message: 'payload is missing',
                  payloadJson: '{"client_id":"c-1"}',
                }),
              },
            ],
          },
        ],
      });
      await producer.disconnect();

      // The first run: fetch everything, record and insert the group, then "crash" at the commit.
      const batches: FetchedBatch[] = [];
      for (const topic of [topics.processed, topics.failed]) {
        const [range] = await fetchLogRanges(kafka, topic);
        await readPartitions(kafka, {
          topic,
          from: new Map([[0, '0']]),
          allPartitions: [0],
          isLast: (_p, m) => BigInt(m.offset) >= (range?.end ?? 1n) - 1n,
          onMessages: (partition, messages) => {
            batches.push({ topic, partition, messages, heartbeat: async () => {} });
          },
        });
      }
      const retry = createRetryWithHeartbeat(log, { retries: 0, initialDelayMs: 1, maxDelayMs: 1 });
      const crashed = createGroupSink({
        state: await loadSinkState(ch.writer, kafka, { groupId, topics: [topics.processed, topics.failed] }),
        writer: ch.writer,
        applyGroup: createApplyMetricGroupStep({
          writer: ch.writer,
          codecs,
          topics,
          commitOffsets: async () => {
            throw new Error('killed before the commit');
          },
          retry,
          log,
        }),
        retry,
        log,
        counters: emptyCounters(),
      });
      await expect(crashed.flush(batches)).rejects.toThrow('killed before the commit');
      const totals = () =>
        queryMetricTotals(ch.reader, { clientId: 'c-1', fromMs: t0, toMs: t0 + 3_600_000, byMetric: false });
      expect(await totals()).toEqual([{ metric: null, count: 3, totalAmount: 7n }]);

      // The restart: the recorded group is re-applied (its copies dropped), then committed.
      const outcomes: MetricOutcomeNotice[] = [];
      const projector = createMetricProjector({
        kafka,
        writer: ch.writer,
        codecs,
        topics,
        groupId,
        sessionTimeoutMs: 6_000,
        log,
        onOutcomes: (o) => outcomes.push(...o),
      });
      await projector.start();
      try {
        const deadline = Date.now() + 60_000;
        while (projector.counters.reappliedGroups === 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        expect(projector.counters.reappliedGroups).toBe(1);
        const committed = await fetchCommittedOffsets(kafka, groupId, [topics.processed]);
        expect(committed[0]?.offset).toBe(4n);
      } finally {
        await projector.stop();
      }
      expect(await totals()).toEqual([{ metric: null, count: 3, totalAmount: 7n }]);
      expect(await queryMetricFailedPage(ch.reader, { clientId: 'c-1', limit: 10 })).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'processed' && o.duplicate)).toHaveLength(1);
    } finally {
      await ch.stop();
    }
  });
});
