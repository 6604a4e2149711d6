// The metric-events stream against its truth: its routes while the service is up (GET /aggregates
// over several windows, every page of GET /events/processed and GET /events/failed per client), then
// its tables once it stopped (rows per id without FINAL, the minute rollup, the failed events).
import { setTimeout as sleep } from 'node:timers/promises';
import { openClickHouse } from '@shopfloor/clickhouse';
import { getJson, getOk, WINDOWS } from './api-check.ts';
import { diffMaps, type TableDiff } from './diff.ts';
import { failureKey, type MetricTruth, metricMinuteKey, type Totals } from './metric-truth.ts';
import { DAY_END_MS, DAY_START_MS } from './workload.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const q = encodeURIComponent;
type AggregateAnswer = Totals & {
  totalAmountExact: string;
  metrics?: ({ metric: string } & { count: number; totalAmountExact: string })[];
};

function aggregateOf(a: AggregateAnswer): string {
  const metrics = Object.fromEntries(
    (a.metrics ?? []).map((m) => [m.metric, { count: m.count, totalAmount: m.totalAmountExact }]),
  );
  return JSON.stringify({ count: a.count, totalAmount: a.totalAmountExact, metrics });
}

const aggregatesUrl = (base: string, client: string, fromMs: number, toMs: number) =>
  `${base}/aggregates?client_id=${q(client)}&from=${q(iso(fromMs))}&to=${q(iso(toMs))}&by=metric`;

/** Polls each client's whole-day aggregates until they equal the truth (3 polls in a row) or `timeoutMs`. */
export async function waitForMetricTotals(
  base: string,
  truth: MetricTruth,
  timeoutMs: number,
): Promise<boolean> {
  const t0 = Date.now();
  let equal = 0;
  while (Date.now() - t0 < timeoutMs) {
    let same = true;
    for (const c of truth.clients()) {
      const r = await getJson(aggregatesUrl(base, c, DAY_START_MS, DAY_END_MS)).catch(() => undefined);
      if (
        r?.status !== 200 ||
        aggregateOf(r.body as AggregateAnswer) !==
          JSON.stringify(truth.aggregates(c, DAY_START_MS, DAY_END_MS))
      )
        same = false;
    }
    equal = same ? equal + 1 : 0;
    if (equal >= 3) return true;
    await sleep(1_000);
  }
  return false;
}

async function pages<T>(url: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = (await getOk(`${url}&limit=1000${cursor ? `&cursor=${q(cursor)}` : ''}`)) as {
      events: T[];
      nextCursor: string | null;
    };
    items.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

type FailedRow = { id: string | null; reason: string; payload: unknown };

export function failedDiff(table: string, truth: MetricTruth, rows: readonly FailedRow[]): TableDiff {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = failureKey(r.reason, r.id, r.payload);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const expected = new Map([...truth.failures].map(([k, f]) => [k, f.maxRows]));
  // Listed at least once, at most once per attempt that carried it.
  return diffMaps(
    `${table} (rows per failure, 1..attempts)`,
    expected,
    counts,
    (max, n) => n >= 1 && n <= max,
  );
}

/** The routes of the metric-events service, the pipeline settled. */
export async function checkMetricApi(base: string, truth: MetricTruth): Promise<TableDiff[]> {
  const aggregates = { expected: new Map<string, string>(), actual: new Map<string, string>() };
  const processed = { expected: new Map<string, number>(), actual: new Map<string, number>() };
  const failed: FailedRow[] = [];
  const clients = [
    ...new Set([...truth.clients(), ...[...truth.failures.values()].map((f) => f.clientId)]),
  ].sort();
  for (const c of clients) {
    for (const [fromMs, toMs] of WINDOWS) {
      const key = `${c} [${iso(fromMs)}, ${iso(toMs)})`;
      aggregates.actual.set(
        key,
        aggregateOf((await getOk(aggregatesUrl(base, c, fromMs, toMs))) as AggregateAnswer),
      );
      aggregates.expected.set(key, JSON.stringify(truth.aggregates(c, fromMs, toMs)));
    }
    for (const e of await pages<{ id: string }>(`${base}/events/processed?client_id=${q(c)}`))
      processed.actual.set(e.id, (processed.actual.get(e.id) ?? 0) + 1);
    failed.push(...(await pages<FailedRow>(`${base}/events/failed?client_id=${q(c)}`)));
  }
  for (const id of truth.counted.keys()) processed.expected.set(id, 1);
  return [
    diffMaps('GET /aggregates (by=metric)', aggregates.expected, aggregates.actual, (a, b) => a === b),
    diffMaps('GET /events/processed (listed once)', processed.expected, processed.actual, (a, b) => a === b),
    failedDiff('GET /events/failed', truth, failed),
  ];
}

/** The metric-events tables, the service stopped. */
export async function checkMetricTables(clickhouseDir: string, truth: MetricTruth): Promise<TableDiff[]> {
  const ch = await openClickHouse({ dataDir: clickhouseDir });
  try {
    const reader = ch.reader;
    const rows = new Map<string, string>();
    for (const r of await reader.query(
      `SELECT id, count() AS n, any(client_id) AS c, any(toString(metric)) AS m, any(amount) AS a,
              any(toUnixTimestamp64Milli(ts)) AS t FROM metric_events GROUP BY id`,
    ))
      rows.set(String(r.id), `${r.n}× ${r.c} ${r.m} ${r.a} ${r.t}`);
    const expected = new Map(
      [...truth.counted].map(([id, e]) => [id, `1× ${e.clientId} ${e.metric} ${e.amount} ${e.timestampMs}`]),
    );
    const minutes = new Map<string, Totals>();
    for (const r of await reader.query(
      `SELECT client_id AS c, toString(metric) AS m, toUnixTimestamp(minute) AS t, sum(events_count) AS n,
              toString(sum(total_amount)) AS s FROM metric_minute_totals GROUP BY c, m, t`,
    ))
      minutes.set(metricMinuteKey(String(r.c), String(r.m), Number(r.t) * 1000), {
        count: Number(r.n),
        totalAmount: String(r.s),
      });
    const failed: FailedRow[] = (
      await reader.query('SELECT id, toString(reason) AS reason, payload_json FROM metric_failed_events')
    ).map((r) => ({
      id: r.id === null ? null : String(r.id),
      reason: String(r.reason),
      payload: JSON.parse(String(r.payload_json)) as unknown,
    }));
    return [
      diffMaps('metric_events (rows per id)', expected, rows, (a, b) => a === b),
      diffMaps(
        'metric_minute_totals',
        truth.minutes(),
        minutes,
        (a, b) => a.count === b.count && a.totalAmount === b.totalAmount,
      ),
      failedDiff('metric_failed_events', truth, failed),
    ];
  } finally {
    await ch.close();
  }
}
