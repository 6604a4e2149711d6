import { parsePrometheusText, type Sample, sumBy, sumOf } from '@shopfloor/metrics/testing';
import type { ServiceProcess } from '@shopfloor/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cluster, startCluster } from './multi-process-cluster.ts';
import { GroundTruth, Workload } from './workload-model.ts';

// GET /metrics of each separate process (gateway, dedupe consumer, projector with the query API)
// after a workload: each serves its own part, and together they count what was sent.
let cluster: Cluster | undefined;
let urls: Record<'gateway' | 'consumer' | 'projector', string>;
const truth = new GroundTruth();
const scrapes: Record<'gateway' | 'consumer' | 'projector', Sample[]> = {
  gateway: [],
  consumer: [],
  projector: [],
};

const consumerUrl = (service: ServiceProcess) =>
  String(service.logs.find((l) => l.msg === 'dedupe consumer started')?.json?.url ?? '');
/** Fastify logs where it listens. */
const listeningUrl = (service: ServiceProcess) =>
  /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(
    service.logs.find((l) => l.msg.startsWith('Server listening at http://127.0.0.1'))?.msg ?? '',
  )?.[1] ?? '';

async function scrape(baseUrl: string): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(15_000) });
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

beforeAll(async () => {
  cluster = await startCluster('metrics', ['c1']);
  const workload = new Workload(`mp-metrics-${Date.now()}`, 7);
  for (let i = 0; i < 3; i++) {
    const batch = workload.batch(100);
    const expected = truth.apply(batch);
    const r = await cluster.post(batch);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject(expected);
  }
  await cluster.get('/dead-letters?limit=1'); // one query API request on the projector
  urls = {
    consumer: consumerUrl(cluster.consumers.get('c1')!),
    gateway: listeningUrl(cluster.gateway),
    projector: listeningUrl(cluster.projector),
  };
  for (const url of Object.values(urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  scrapes.consumer = await scrape(urls.consumer);
  scrapes.gateway = await scrape(urls.gateway);
  scrapes.projector = await scrape(urls.projector);
}, 300_000);

afterAll(async () => {
  if (!cluster) return;
  await Promise.all([cluster.gateway, cluster.projector, ...cluster.consumers.values()].map((s) => s.stop()));
  cluster.cleanup();
});

describe('GET /metrics of separate processes', () => {
  test('the gateway counts rejections, the consumer the decisions; their sum is what was sent', () => {
    const { accepted, deduped, updated, rejected } = truth.totals;
    expect(sumBy(scrapes.gateway, 'shopfloor_events_total', 'outcome')).toEqual(
      rejected > 0 ? { rejected } : {},
    );
    expect(sumOf(scrapes.gateway, 'shopfloor_gateway_published_events_total')).toBe(
      accepted + deduped + updated,
    );
    expect(
      sumOf(scrapes.gateway, 'shopfloor_http_request_duration_seconds_count', { route: '/events/batch' }),
    ).toBe(3);
    const decided = sumBy(scrapes.consumer, 'shopfloor_events_total', 'outcome');
    expect({ accepted: 0, deduped: 0, updated: 0, ...decided }).toEqual({ accepted, deduped, updated });
    expect(sumOf(scrapes.consumer, 'shopfloor_dedupe_state_entries')).toBe(truth.winners.size);
    expect(sumOf(scrapes.consumer, 'shopfloor_dedupe_restore_duration_seconds_count')).toBeGreaterThanOrEqual(
      1,
    );
  });

  test('the projector reports its groups and inserts and serves the query API metrics', () => {
    const { accepted, deduped, updated, rejected } = truth.totals;
    expect(sumOf(scrapes.projector, 'shopfloor_projector_group_records_sum')).toBe(
      accepted + deduped + updated + rejected,
    );
    expect(
      sumOf(scrapes.projector, 'shopfloor_projector_inserted_rows_total', { table: 'event_changes' }),
    ).toBe(accepted + 2 * updated);
    expect(
      sumOf(scrapes.projector, 'shopfloor_http_request_duration_seconds_count', {
        route: '/dead-letters',
        status_code: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  test('/health and /ready of each process: alive, and ready with its own checks', async () => {
    const expected = {
      gateway: ['broker', 'topics'],
      consumer: ['broker', 'topics', 'restore'],
      projector: ['broker', 'topics', 'clickhouse'],
    };
    for (const [name, url] of Object.entries(urls) as [keyof typeof expected, string][]) {
      const health = await fetch(`${url}/health`);
      expect(health.status, name).toBe(200);
      const ready = await fetch(`${url}/ready`);
      const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
      expect([ready.status, body.status], name).toEqual([200, 'ready']);
      expect(body.checks.map((c) => c.name)).toEqual(expected[name]);
    }
  });

  test('each process reports the lag of its own group, and its process metrics', () => {
    const groups = (samples: Sample[]) =>
      new Set(samples.filter((s) => s.name === 'shopfloor_consumer_lag').map((s) => s.labels.group));
    expect(groups(scrapes.consumer)).toEqual(new Set([`${cluster!.prefix}dedupe`]));
    expect(groups(scrapes.projector)).toEqual(new Set([`${cluster!.prefix}projector`]));
    for (const samples of Object.values(scrapes)) {
      expect(sumOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    }
  });
});
