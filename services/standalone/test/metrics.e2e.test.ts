import { parsePrometheusText, type Sample, sumBy, sumOf } from '@shopfloor/metrics/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';
import { type BatchCounts, GroundTruth, Workload } from './workload-model.ts';

// GET /metrics of the running system after a seeded workload: the counts equal what was sent.
let sys: TestSystem;
const truth = new GroundTruth();
const rejectedByReason: Record<string, number> = {};
let posts = 0;
let postedEvents = 0;
let samples: Sample[];

const scrape = async () => {
  const res = await fetch(`${sys.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(await res.text());
};

/** Events the gateway refuses, one per reason the workload does not make. */
function hostileBatch(tag: string): unknown[] {
  const valid = {
    eventId: `${tag}-ok`,
    eventTime: '2026-03-01T10:00:00Z',
    machineId: `${tag}-M`,
    lineId: `${tag}-L`,
    factoryId: `${tag}-F`,
    durationMs: 10,
    defectCount: 0,
  };
  const { machineId: _missing, ...noMachine } = valid;
  return [
    valid,
    null,
    { ...noMachine, eventId: `${tag}-1` },
    { ...valid, eventId: `${tag}-2`, durationMs: '100' },
    { ...valid, eventId: `${tag}-3`, defectCount: -2 },
    { ...valid, eventId: `${tag}-4`, eventTime: new Date(Date.now() + 3_600_000).toISOString() },
    { ...valid, eventId: `${tag}-5`, durationMs: -1 },
  ];
}

async function post(batch: unknown[]): Promise<BatchCounts> {
  const r = await sys.post(batch);
  expect(r.status).toBe(200);
  posts++;
  postedEvents += batch.length;
  for (const { reason } of r.body.rejections as { reason: string }[]) {
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
  }
  const { accepted, deduped, updated, rejected } = r.body;
  return { accepted, deduped, updated, rejected };
}

beforeAll(async () => {
  sys = await startTestSystem();
  const workload = new Workload(`metrics-${Date.now()}`, 20261130);
  for (let i = 0; i < 6; i++) {
    const batch = workload.batch(150);
    const expected = truth.apply(batch);
    expect(await post(batch)).toEqual(expected);
  }
  // The ground truth models valid events and INVALID_DURATION only: the other rejections are counted here.
  const hostile = hostileBatch(`metrics-hostile-${Date.now()}`);
  expect(await post(hostile)).toEqual({ ...truth.apply(hostile.slice(0, 1)), rejected: 6 });
  expect(await post(hostile)).toEqual({ ...truth.apply(hostile.slice(0, 1)), rejected: 6 });
  truth.totals.rejected += 12;
  samples = await scrape();
});
afterAll(async () => {
  await sys?.close();
});

describe('GET /metrics of the all-in-one process after a workload', () => {
  test('events by outcome and rejections by reason are exactly what was sent', () => {
    expect(sumBy(samples, 'shopfloor_events_total', 'outcome')).toEqual(truth.totals);
    expect(Object.values(rejectedByReason).reduce((a, b) => a + b, 0)).toBe(truth.totals.rejected);
    expect(sumBy(samples, 'shopfloor_rejections_total', 'reason')).toEqual(rejectedByReason);
    expect(Object.keys(rejectedByReason).sort()).toEqual([
      'FUTURE_EVENT_TIME',
      'INVALID_DEFECT_COUNT',
      'INVALID_DURATION',
      'INVALID_TYPE',
      'MISSING_FIELD',
      'NOT_AN_OBJECT',
    ]);
  });

  test('gateway, dedupe transactions and projector inserts add up to the events', () => {
    const { accepted, deduped, updated, rejected } = truth.totals;
    const valid = accepted + deduped + updated;
    expect(valid + rejected).toBe(postedEvents);
    expect(sumOf(samples, 'shopfloor_gateway_published_events_total')).toBe(valid);
    expect(sumOf(samples, 'shopfloor_gateway_inflight_events')).toBe(0);
    // Every valid event is one raw record in exactly one committed transaction.
    expect(sumOf(samples, 'shopfloor_dedupe_transaction_records_sum')).toBe(valid);
    const transactions = sumOf(samples, 'shopfloor_dedupe_transaction_records_count');
    expect(transactions).toBeGreaterThanOrEqual(posts);
    expect(sumOf(samples, 'shopfloor_dedupe_transaction_duration_seconds_count')).toBe(transactions);
    expect(sumOf(samples, 'shopfloor_dedupe_transaction_duration_seconds_sum')).toBeGreaterThan(0);
    // One change record per valid event and one dead letter per rejected one, each group applied once.
    expect(sumOf(samples, 'shopfloor_projector_group_records_sum')).toBe(valid + rejected);
    expect(sumBy(samples, 'shopfloor_projector_groups_total', 'kind')).toEqual({
      new: sumOf(samples, 'shopfloor_projector_group_records_count'),
    });
    const rows = (table: string) => sumOf(samples, 'shopfloor_projector_inserted_rows_total', { table });
    expect(rows('event_changes')).toBe(accepted + 2 * updated); // an update retracts, then adds
    expect(rows('rejected_events')).toBe(rejected);
    expect(rows('batch_events')).toBe(valid + rejected);
    // The posts were answered one at a time: while each waited, the projector's fetches were
    // answered at their first record.
    expect(
      sumOf(samples, 'shopfloor_projector_awaited_fetches_total', { projector: 'events' }),
    ).toBeGreaterThan(0);
    for (const table of ['sink_offsets', 'event_changes', 'rejected_events', 'batch_events']) {
      expect(
        sumOf(samples, 'shopfloor_projector_insert_duration_seconds_count', { table }),
        table,
      ).toBeGreaterThan(0);
    }
  });

  test('state entries are the distinct valid eventIds; the restore at the group join is timed', () => {
    expect(sumOf(samples, 'shopfloor_dedupe_state_entries')).toBe(truth.winners.size);
    expect(
      new Set(
        samples.filter((s) => s.name === 'shopfloor_dedupe_state_entries').map((s) => s.labels.partition),
      ),
    ).toEqual(new Set(['0', '1', '2']));
    expect(sumOf(samples, 'shopfloor_dedupe_restore_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  test('HTTP latency by route, method and status', () => {
    const count = (labels: Record<string, string>) =>
      sumOf(samples, 'shopfloor_http_request_duration_seconds_count', labels);
    expect(count({ route: '/events/batch', method: 'POST', status_code: '200' })).toBe(posts);
    expect(
      sumOf(samples, 'shopfloor_http_request_duration_seconds_bucket', {
        route: '/events/batch',
        le: '+Inf',
      }),
    ).toBe(posts);
  });

  test('consumer lag of both groups per partition, from the Kafka admin', () => {
    const lag = samples.filter((s) => s.name === 'shopfloor_consumer_lag');
    const groups = new Set(lag.map((s) => s.labels.group));
    // The other streams' groups are there too (services/standalone/test/stream-metrics.e2e.test.ts).
    expect(groups).toContain(`${sys.prefix}dedupe`);
    expect(groups).toContain(`${sys.prefix}projector`);
    const raw = lag.filter((s) => s.labels.group === `${sys.prefix}dedupe`);
    expect(raw.map((s) => [s.labels.topic, s.labels.partition, s.value]).sort()).toEqual([
      [`${sys.prefix}events.raw`, '0', 0],
      [`${sys.prefix}events.raw`, '1', 0],
      [`${sys.prefix}events.raw`, '2', 0],
    ]);
    // events.change-batches ends with a transaction marker the projector never reads past: lag <= 1.
    for (const s of lag.filter((l) => l.labels.topic?.endsWith('events.change-batches')))
      expect(s.value).toBeLessThanOrEqual(1);
    expect(sumOf(samples, 'shopfloor_metrics_scrape_errors_total')).toBe(0);
  });

  test("the Kafka requests of the process's clients, by client kind and API", () => {
    const requests = (client: string, api: string) =>
      sumOf(samples, 'shopfloor_kafka_requests_total', { client, api });
    // The gateway's appends, the dedupe's transactions and the consumers' fetches all went through.
    expect(requests('producer', 'Produce')).toBeGreaterThan(0);
    expect(requests('producer', 'EndTxn')).toBeGreaterThan(0);
    expect(requests('consumer', 'Fetch')).toBeGreaterThan(0);
    expect(requests('admin', 'Metadata')).toBeGreaterThan(0);
    // Summed durations: a positive time, less than the requests' count times the 30 s timeout.
    const seconds = sumOf(samples, 'shopfloor_kafka_request_seconds_total', {
      client: 'consumer',
      api: 'Fetch',
    });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(requests('consumer', 'Fetch') * 30);
  });

  test('process metrics and every Shopfloor metric are exported', async () => {
    expect(sumOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sumOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    const text = await (await fetch(`${sys.url}/metrics`)).text();
    const types = [...text.matchAll(/^# TYPE (shopfloor_\w+) /gm)].map((m) => m[1]);
    expect(types.length).toBeGreaterThanOrEqual(25);
  });
});
