import type { OutcomeBucket, OutcomeCount } from '@shopfloor/clickhouse';
import { avgDefectRate, machineHealth, topDefectLine } from '@shopfloor/contracts';
import type { DashboardPorts } from './dashboard-ports.ts';
import { dashboardWindow, recentBuckets } from './dashboard-window.ts';
import {
  type DashboardSnapshot,
  type IngestView,
  OUTCOMES,
  type Outcome,
  type OutcomeCounts,
  type Section,
  type WindowKey,
} from './snapshot-types.ts';
import { metricEventsView, sensorStreamView } from './stream-snapshot.ts';

export const BUCKET_MS = 10_000;
const CHART_BUCKETS = 30;
const RATE_BUCKETS = 6; // the last full minute
const MACHINE_LIMIT = 50;
const TOP_LINES_LIMIT = 10;
const DEAD_LETTER_LIMIT = 10;

export interface SnapshotRequest {
  window: WindowKey;
  factoryId?: string | undefined;
}

async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function zeroCounts(): OutcomeCounts {
  return { accepted: 0, deduped: 0, updated: 0, rejected: 0 };
}

/** A batch decision as the API reports it: `stale` (an older version) is counted as deduped. */
function outcomeOf(decision: string): Outcome | undefined {
  if (decision === 'stale') return 'deduped';
  return (OUTCOMES as readonly string[]).includes(decision) ? (decision as Outcome) : undefined;
}

function addTo(counts: OutcomeCounts, rows: readonly (OutcomeCount | OutcomeBucket)[]): OutcomeCounts {
  for (const row of rows) {
    const outcome = outcomeOf(row.decision);
    if (outcome) counts[outcome] += row.events;
  }
  return counts;
}

function ingestView(totals: OutcomeCount[], buckets: OutcomeBucket[], fromMs: number): IngestView {
  const chart = Array.from({ length: CHART_BUCKETS }, (_, i) => ({
    startMs: fromMs + i * BUCKET_MS,
    ...zeroCounts(),
  }));
  for (const b of buckets) {
    const slot = chart[Math.floor((b.bucketMs - fromMs) / BUCKET_MS)];
    if (slot) addTo(slot, [b]);
  }
  // The current bucket is still filling: the rate is over the full buckets before it.
  const full = chart.slice(-1 - RATE_BUCKETS, -1);
  const perSecond = zeroCounts();
  for (const outcome of OUTCOMES) {
    perSecond[outcome] = full.reduce((sum, b) => sum + b[outcome], 0) / ((RATE_BUCKETS * BUCKET_MS) / 1000);
  }
  return { totals: addTo(zeroCounts(), totals), perSecond, bucketMs: BUCKET_MS, buckets: chart };
}

/**
 * Everything the page shows, read through the ports. Each part is read on its own: one that fails
 * (a broker that is down, say) is reported in its section and the others still show.
 */
export async function buildSnapshot(
  ports: DashboardPorts,
  request: SnapshotRequest,
  nowMs: number,
  refreshMs: number,
): Promise<DashboardSnapshot> {
  const range = dashboardWindow(request.window, nowMs);
  const chartRange = recentBuckets(nowMs, BUCKET_MS, CHART_BUCKETS);
  const totals = section(() => ports.outcomeTotals(range));
  const { sensors, metricEvents } = ports;
  const [ingest, rejections, machines, factories, deadLetters, lag, sensorView, metricView] =
    await Promise.all([
      section(async () => {
        const t = await totals;
        if (!t.ok) throw new Error(t.error);
        return ingestView(t.data, await ports.outcomeBuckets(chartRange), chartRange.fromMs);
      }),
      section(async () => {
        const t = await totals;
        if (!t.ok) throw new Error(t.error);
        return t.data
          .filter((row) => row.decision === 'rejected')
          .map((row) => ({ reason: row.reason, events: row.events }));
      }),
      section(async () =>
        (await ports.machines(range, MACHINE_LIMIT)).map((m) => {
          const rate = avgDefectRate(m.defectsCount, range.fromMs, range.toMs);
          return { ...m, avgDefectRate: rate, status: machineHealth(rate) };
        }),
      ),
      section(async () => {
        const ids = await ports.factoryIds(range);
        const selected = request.factoryId ?? ids[0] ?? null;
        const lines = selected === null ? [] : await ports.topDefectLines(selected, range, TOP_LINES_LIMIT);
        return {
          ids,
          selected,
          topLines: lines.map((l) => topDefectLine(l.lineId, l.totalDefects, l.eventCount)),
        };
      }),
      section(async () =>
        (await ports.deadLetters(DEAD_LETTER_LIMIT)).map(({ payload: _payload, receivedAt, ...row }) => ({
          ...row,
          receivedAt: new Date(receivedAt).toISOString(),
        })),
      ),
      section(() => ports.consumerLag()),
      section(() => {
        if (!sensors) throw new Error('the sensor stream is off in this process (SHOPFLOOR_SENSORS=0)');
        return sensorStreamView(sensors);
      }),
      section(() => {
        if (!metricEvents) throw new Error('the metric-events stream is not served by this process');
        return metricEventsView(metricEvents, range);
      }),
    ]);
  return {
    generatedAt: new Date(nowMs).toISOString(),
    window: {
      key: request.window,
      start: new Date(range.fromMs).toISOString(),
      end: new Date(range.toMs).toISOString(),
    },
    refreshMs,
    ingest,
    rejections,
    machines,
    factories,
    deadLetters,
    lag,
    sensors: sensorView,
    metricEvents: metricView,
  };
}
