import { describe, expect, test } from 'vitest';
import { createShopfloorMetrics } from './shopfloor-metrics.ts';
import { parsePrometheusText, sumBy, sumOf } from './testing/prometheus-text.ts';

const scrape = async (metrics: ReturnType<typeof createShopfloorMetrics>) =>
  parsePrometheusText(await metrics.scrape());

describe('createShopfloorMetrics', () => {
  test('outcomes: the dedupe decisions and the gateway rejections, stale counted as deduped', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    metrics.dedupe.batchCommitted({
      records: 5,
      decisions: ['accepted', 'accepted', 'deduped', 'updated', 'stale'],
      invalid: 1,
      evicted: 0,
      found: 2,
      transactionSeconds: 0.02,
    });
    metrics.gateway.batchPublished({
      published: 5,
      rejectionReasons: ['INVALID_DURATION', 'MISSING_FIELD', 'INVALID_DURATION'],
    });
    const samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_events_total', 'outcome')).toEqual({
      accepted: 2,
      deduped: 2,
      updated: 1,
      rejected: 3,
    });
    expect(sumBy(samples, 'shopfloor_rejections_total', 'reason')).toEqual({
      INVALID_DURATION: 2,
      MISSING_FIELD: 1,
    });
    expect(sumOf(samples, 'shopfloor_dedupe_stale_events_total')).toBe(1);
    expect(sumOf(samples, 'shopfloor_dedupe_invalid_records_total')).toBe(1);
    expect(sumOf(samples, 'shopfloor_dedupe_found_winners_total')).toBe(2);
    expect(sumOf(samples, 'shopfloor_dedupe_transaction_records_sum')).toBe(5);
    expect(sumOf(samples, 'shopfloor_dedupe_transaction_duration_seconds_count')).toBe(1);
    expect(sumOf(samples, 'shopfloor_gateway_published_events_total')).toBe(5);
  });

  test('projector groups and inserts by table', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    metrics.projector.inserted({ table: 'event_changes', rows: 7, seconds: 0.03 });
    metrics.projector.inserted({ table: 'event_changes', rows: 3, seconds: 0.01 });
    metrics.projector.groupApplied({
      partitions: 3,
      records: 10,
      invalidRecords: 0,
      seconds: 0.1,
      reapplied: false,
    });
    metrics.projector.groupApplied({
      partitions: 1,
      records: 2,
      invalidRecords: 1,
      seconds: 0.1,
      reapplied: true,
    });
    const samples = await scrape(metrics);
    expect(sumOf(samples, 'shopfloor_projector_inserted_rows_total', { table: 'event_changes' })).toBe(10);
    expect(
      sumOf(samples, 'shopfloor_projector_insert_duration_seconds_count', { table: 'event_changes' }),
    ).toBe(2);
    expect(sumBy(samples, 'shopfloor_projector_groups_total', 'kind')).toEqual({ new: 1, reapplied: 1 });
    expect(sumOf(samples, 'shopfloor_projector_group_records_sum')).toBe(12);
    expect(sumOf(samples, 'shopfloor_projector_group_partitions_sum')).toBe(4);
    expect(sumOf(samples, 'shopfloor_projector_invalid_records_total')).toBe(1);
  });

  test('lag and state entries are read at each scrape; a lag read that fails leaves no stale series', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    let entries = [
      { partition: 0, entries: 4 },
      { partition: 2, entries: 9 },
    ];
    metrics.dedupe.sampleStateEntries(() => entries);
    let lagFails = false;
    metrics.sampleConsumerLag(async () => {
      if (lagFails) throw new Error('broker down');
      return [
        {
          groupId: 'g',
          totalLag: 3,
          partitions: [
            { topic: 't', partition: 0, committedOffset: 5, logEndOffset: 8, lag: 3 },
            { topic: 't', partition: 1, committedOffset: null, logEndOffset: 0, lag: 0 },
          ],
        },
      ];
    });
    let samples = await scrape(metrics);
    expect(sumOf(samples, 'shopfloor_dedupe_state_entries', { partition: '2' })).toBe(9);
    expect(sumOf(samples, 'shopfloor_consumer_lag', { group: 'g', topic: 't', partition: '0' })).toBe(3);
    expect(sumOf(samples, 'shopfloor_consumer_committed_offset', { partition: '0' })).toBe(5);
    expect(samples.filter((s) => s.name === 'shopfloor_consumer_committed_offset')).toHaveLength(1);
    expect(sumOf(samples, 'shopfloor_log_end_offset', { topic: 't', partition: '0' })).toBe(8);

    entries = [{ partition: 1, entries: 1 }];
    lagFails = true;
    samples = await scrape(metrics);
    expect(samples.filter((s) => s.name === 'shopfloor_dedupe_state_entries')).toEqual([
      { name: 'shopfloor_dedupe_state_entries', labels: { partition: '1' }, value: 1 },
    ]);
    expect(samples.filter((s) => s.name === 'shopfloor_consumer_lag')).toEqual([]);
    expect(sumOf(samples, 'shopfloor_metrics_scrape_errors_total', { source: 'consumer_lag' })).toBe(1);
  });

  test("the process's Kafka requests are read at each scrape, by client kind and API", async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    let counts = [
      { client: 'producer' as const, api: 'Produce', requests: 3, seconds: 0.012 },
      { client: 'consumer' as const, api: 'Fetch', requests: 40, seconds: 19.5 },
    ];
    metrics.sampleKafkaRequests(() => counts);
    let samples = await scrape(metrics);
    expect(sumOf(samples, 'shopfloor_kafka_requests_total', { client: 'producer', api: 'Produce' })).toBe(3);
    expect(
      sumOf(samples, 'shopfloor_kafka_request_seconds_total', { client: 'consumer', api: 'Fetch' }),
    ).toBe(19.5);
    // The counts only grow; each scrape shows them as read then, not added to the last scrape's.
    counts = [...counts, { client: 'producer' as const, api: 'EndTxn', requests: 1, seconds: 0.004 }];
    counts[0] = { ...counts[0]!, requests: 5 };
    samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_kafka_requests_total', 'api')).toEqual({
      Produce: 5,
      Fetch: 40,
      EndTxn: 1,
    });
  });

  test('process metrics are on by default, and two processes-worth of registries do not collide', async () => {
    const a = createShopfloorMetrics();
    const b = createShopfloorMetrics();
    const names = new Set((await scrape(a)).map((s) => s.name));
    expect(names).toContain('process_cpu_seconds_total');
    expect(names).toContain('nodejs_heap_size_used_bytes');
    expect((await scrape(b)).length).toBeGreaterThan(0);
  });
});
