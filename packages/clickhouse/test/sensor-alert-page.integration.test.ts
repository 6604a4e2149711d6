import { beforeAll, describe, expect, it } from 'vitest';
import {
  insertSensorAlertResolutions,
  insertSensorAlerts,
  queryOpenAlertSeverities,
  querySensorAlertPage,
  type SensorAlertPageQuery,
  type SensorAlertRow,
} from '../src/index.ts';
import { embeddedClickHouseForFile } from '../src/testing/for-file.ts';

// querySensorAlertPage builds a WHERE term per filter given and reads the resolutions of the page's
// resolved alerts in a statement of its own. Every combination of filters, against an answer
// computed here from what was inserted: replayed alert rows (one alert each), alerts resolved twice
// (the earliest resolution shown), ties on raisedAt (by id), a cursor inside a tie.

const t0 = Date.parse('2026-03-05T08:00:00Z');
const SEC = 1_000;
const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;

const db = embeddedClickHouseForFile();

function alert(i: number): SensorAlertRow {
  return {
    alertId: `al-${String((i * 11) % 40).padStart(2, '0')}`,
    readingKey: `k-${i}`,
    readingId: i % 4 === 0 ? null : `R-${i}`,
    equipmentId: i % 3 === 0 ? 'EQ-A' : 'EQ-B',
    sensorType: 'pressure',
    severity: SEVERITIES[i % 3]!,
    value: 20 + i,
    unit: 'bar',
    zScore: i % 5 === 0 ? null : 3 + (i % 3),
    mean: 10,
    stddev: 1,
    baselineCount: 30,
    timestampMs: t0 + Math.floor(i / 2) * SEC - 3,
    receivedAt: t0 + Math.floor(i / 2) * SEC,
  };
}

const alerts = Array.from({ length: 40 }, (_, i) => alert(i));
/** alertId → its earliest resolution (every fourth alert; every eighth resolved twice). */
const firstResolution = new Map<string, { resolvedBy: string; note: string | null; resolvedAtMs: number }>();
const resolutions = alerts.flatMap((a, i) => {
  if (i % 4 !== 1) return [];
  const first = {
    alertId: a.alertId,
    resolvedBy: `op-${i}`,
    note: i % 8 === 1 ? null : `n-${i}`,
    resolvedAt: t0 + 3_600_000 + i,
  };
  firstResolution.set(a.alertId, {
    resolvedBy: first.resolvedBy,
    note: first.note,
    resolvedAtMs: first.resolvedAt,
  });
  return i % 8 === 1
    ? [{ ...first, resolvedBy: 'late', note: 'later', resolvedAt: first.resolvedAt + 60_000 }, first]
    : [first];
});

function expected(q: SensorAlertPageQuery) {
  const position = (a: SensorAlertRow) => [-a.receivedAt, a.alertId] as const;
  const before = (a: SensorAlertRow, raisedAtMs: number, alertId: string) =>
    a.receivedAt < raisedAtMs || (a.receivedAt === raisedAtMs && a.alertId > alertId);
  return alerts
    .filter(
      (a) =>
        (q.equipmentId === undefined || a.equipmentId === q.equipmentId) &&
        (q.severity === undefined || a.severity === q.severity) &&
        (q.status === undefined || (q.status === 'RESOLVED') === firstResolution.has(a.alertId)) &&
        (q.fromMs === undefined || a.receivedAt >= q.fromMs) &&
        (q.toMs === undefined || a.receivedAt < q.toMs) &&
        (q.after === undefined || before(a, q.after.raisedAtMs, q.after.alertId)),
    )
    .sort((a, b) => {
      const [x, y] = [position(a), position(b)];
      return x[0] - y[0] || (x[1] < y[1] ? -1 : 1);
    })
    .slice(0, q.limit)
    .map((a) => {
      const r = firstResolution.get(a.alertId);
      return {
        alertId: a.alertId,
        readingKey: a.readingKey,
        readingId: a.readingId,
        equipmentId: a.equipmentId,
        sensorType: a.sensorType,
        severity: a.severity,
        value: a.value,
        unit: a.unit,
        zScore: a.zScore,
        mean: a.mean,
        stddev: a.stddev,
        baselineCount: a.baselineCount,
        readingMs: a.timestampMs,
        raisedAtMs: a.receivedAt,
        status: r ? 'RESOLVED' : 'OPEN',
        resolvedBy: r?.resolvedBy ?? null,
        resolutionNote: r ? r.note : null,
        resolvedAtMs: r?.resolvedAtMs ?? null,
      };
    });
}

beforeAll(async () => {
  await insertSensorAlerts(db.ch.writer, alerts.slice(0, 25), { dedupToken: 'alerts:0' });
  await insertSensorAlerts(db.ch.writer, alerts.slice(20), { dedupToken: 'alerts:1' });
  // A replay under another token (an upgraded alert lane re-forming its last range): rows again.
  await insertSensorAlerts(db.ch.writer, alerts.slice(10, 30), { dedupToken: 'alerts:replay' });
  await insertSensorAlertResolutions(db.ch.writer, resolutions, { dedupToken: 'resolutions:0' });
});

describe('querySensorAlertPage', () => {
  const equipment = [undefined, 'EQ-A'] as const;
  const severities = [undefined, 'LOW', 'CRITICAL'] as const;
  const statuses = [undefined, 'OPEN', 'RESOLVED'] as const;
  const froms = [undefined, t0 + 4 * SEC] as const;
  const tos = [undefined, t0 + 15 * SEC] as const;
  // Inside the tie at t0 + 10 s (alerts 20 and 21): only the later id of the tie follows.
  const afters = [undefined, { raisedAtMs: t0 + 10 * SEC, alertId: alert(20).alertId }] as const;

  it('answers every combination of filters as computed from the rows inserted', async () => {
    let combinations = 0;
    for (const equipmentId of equipment)
      for (const severity of severities)
        for (const status of statuses)
          for (const fromMs of froms)
            for (const toMs of tos)
              for (const after of afters) {
                const q = { equipmentId, severity, status, fromMs, toMs, after, limit: 7 };
                const want = expected(q);
                expect(await querySensorAlertPage(db.ch.reader, q), JSON.stringify(q)).toEqual(want);
                combinations += 1;
              }
    expect(combinations).toBe(144);
  });

  it('pages through the whole history with the cursor, each alert once', async () => {
    const seen: string[] = [];
    let after: SensorAlertPageQuery['after'];
    for (let pages = 0; pages < 20; pages++) {
      const page = await querySensorAlertPage(db.ch.reader, { after, limit: 6 });
      seen.push(...page.map((a) => a.alertId));
      const last = page.at(-1);
      if (!last || page.length < 6) break;
      after = { raisedAtMs: last.raisedAtMs, alertId: last.alertId };
    }
    expect(seen).toEqual(expected({ limit: 100 }).map((a) => a.alertId));
    expect(new Set(seen).size).toBe(40);
  });

  it('counts each open alert once per equipment and severity, replayed rows included', async () => {
    const open = alerts.filter((a) => !firstResolution.has(a.alertId));
    const count = (eq: string, sev: string) =>
      open.filter((a) => a.equipmentId === eq && a.severity === sev).length;
    const want = ['EQ-A', 'EQ-B'].flatMap((equipmentId) =>
      ['CRITICAL', 'LOW', 'MEDIUM']
        .map((severity) => ({ equipmentId, severity, openCount: count(equipmentId, severity) }))
        .filter((r) => r.openCount > 0),
    );
    expect(await queryOpenAlertSeverities(db.ch.reader)).toEqual(want);
    expect(await queryOpenAlertSeverities(db.ch.reader, { equipmentId: 'EQ-A' })).toEqual(
      want.filter((r) => r.equipmentId === 'EQ-A'),
    );
  });
});
