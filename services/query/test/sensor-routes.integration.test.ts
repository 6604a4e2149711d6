import {
  insertSensorAlertResolutions,
  insertSensorAlerts,
  insertSensorReadings,
  type SensorReadingRow,
} from '@shopfloor/clickhouse';
import { sampleSensorAlertRow, sampleSensorReadingRow } from '@shopfloor/clickhouse/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { queryAppForFile } from './query-app-for-file.ts';

// The sensor read API against the embedded ClickHouse, rows written by the package's insert
// functions (what the sensor projector calls). Expected answers are computed here from the rows
// inserted, never copied from a run. A 200 also proves the answer matches its route's schema: the
// zod serializer refuses an answer that does not.

const t0 = Date.parse('2026-03-01T10:00:00Z');
const SEC = 1_000;
const MIN = 60 * SEC;
const iso = (ms: number) => new Date(ms).toISOString();

const { db, get } = queryAppForFile();

let seq = 0;
const reading = (equipmentId: string, sensorType: string, value: number, atMs: number, anomaly = false) =>
  sampleSensorReadingRow({ id: String(++seq), equipmentId, sensorType, value, atMs, anomaly });
const alert = sampleSensorAlertRow;

// EQ-A: pressure every 20 s for 12 minutes (one anomaly), temperature twice; EQ-B and EQ-C one each.
const pressureA = Array.from({ length: 36 }, (_, i) =>
  reading('EQ-A', 'pressure', 2 + (i % 7) * 0.5, t0 + i * 20 * SEC, i === 17),
);
const readings = [
  ...pressureA,
  reading('EQ-A', 'temperature', 70, t0 + 30 * SEC),
  reading('EQ-A', 'temperature', 71.5, t0 + 90 * SEC),
  reading('EQ-B', 'vibration', 9, t0 + 61 * MIN),
  reading('EQ-C', 'voltage', 230, t0 + 2 * MIN),
];
// A late reading of EQ-A's temperature, older than the latest one, inserted after it.
const lateTemperature = reading('EQ-A', 'temperature', 69, t0 + 10 * SEC);

const alerts = [
  alert('A1', 'EQ-A', 'CRITICAL', t0 + 5 * MIN),
  alert('A2', 'EQ-A', 'LOW', t0 + 6 * MIN),
  alert('B1', 'EQ-B', 'CRITICAL', t0 + 61 * MIN),
  alert('B2', 'EQ-B', 'MEDIUM', t0 + 62 * MIN),
  alert('C1', 'EQ-C', 'LOW', t0 + 3 * MIN),
];
const resolutions = [
  { alertId: 'B1', resolvedBy: 'ana', note: 'bearing replaced', resolvedAt: t0 + 70 * MIN },
  { alertId: 'B1', resolvedBy: 'bob', note: null, resolvedAt: t0 + 71 * MIN },
  { alertId: 'C1', resolvedBy: 'bob', note: null, resolvedAt: t0 + 4 * MIN },
];

beforeAll(async () => {
  await insertSensorReadings(db.ch.writer, readings, { dedupToken: 'sensor.readings:0:0-39' });
  // The projector replaying the same batch: no double count anywhere.
  await insertSensorReadings(db.ch.writer, readings, { dedupToken: 'sensor.readings:0:0-39' });
  await insertSensorReadings(db.ch.writer, [lateTemperature], { dedupToken: 'sensor.readings:0:40-40' });
  await insertSensorAlerts(db.ch.writer, alerts, { dedupToken: 'sensor.alerts:0:0-4' });
  await insertSensorAlertResolutions(db.ch.writer, resolutions, { dedupToken: 'resolutions:0:0-2' });
});

describe('GET /api/equipment', () => {
  test('lists the equipment registered by its readings, with the status rule applied to open alerts', async () => {
    const r = await get('/api/equipment');
    expect(r.status).toBe(200);
    expect(r.body.map((e: { equipmentId: string; status: string }) => [e.equipmentId, e.status])).toEqual([
      ['EQ-A', 'CRITICAL'], // open CRITICAL A1
      ['EQ-B', 'WARNING'], // its CRITICAL is resolved, its MEDIUM open
      ['EQ-C', 'OK'], // its one alert is resolved
    ]);
    const a = r.body[0];
    expect(a).toMatchObject({
      sensorTypes: ['pressure', 'temperature'],
      readingsCount: pressureA.length + 3,
      registeredAt: iso(
        Math.min(...readings.filter((x) => x.equipmentId === 'EQ-A').map((x) => x.receivedAt)),
      ),
      lastSeen: iso(Math.max(...readings.filter((x) => x.equipmentId === 'EQ-A').map((x) => x.receivedAt))),
      openAlertCounts: { LOW: 1, MEDIUM: 0, CRITICAL: 1 },
    });
  });

  test('filters by status; a status outside OK, WARNING, CRITICAL is a 400', async () => {
    expect(
      (await get('/api/equipment?status=WARNING')).body.map((e: { equipmentId: string }) => e.equipmentId),
    ).toEqual(['EQ-B']);
    expect(
      (await get('/api/equipment?status=OK')).body.map((e: { equipmentId: string }) => e.equipmentId),
    ).toEqual(['EQ-C']);
    expect(await get('/api/equipment?status=FINE')).toEqual({
      status: 400,
      body: { code: 'INVALID_QUERY', message: 'status must be one of OK, WARNING, CRITICAL (got "FINE")' },
    });
  });
});

describe('GET /api/equipment/:id/status', () => {
  test('the latest value per sensor by timestamp, open alerts newest first, last seen', async () => {
    const r = await get('/api/equipment/EQ-A/status');
    expect(r.status).toBe(200);
    const lastPressure = pressureA.at(-1)!;
    expect(r.body.status).toBe('CRITICAL');
    expect(r.body.sensors).toEqual([
      expect.objectContaining({
        sensorType: 'pressure',
        value: lastPressure.value,
        timestamp: iso(lastPressure.timestampMs),
        readingsCount: 36,
      }),
      // The late reading (inserted last, older timestamp) does not displace the latest one.
      expect.objectContaining({
        sensorType: 'temperature',
        value: 71.5,
        timestamp: iso(t0 + 90 * SEC),
        readingsCount: 3,
      }),
    ]);
    expect(r.body.openAlerts.map((a: { alertId: string }) => a.alertId)).toEqual(['A2', 'A1']);
    expect(r.body.lastSeen).toBe(iso(lastPressure.receivedAt));
  });

  test('a resolved alert is not open; unknown equipment is 404, a bad id 400', async () => {
    const b = await get('/api/equipment/EQ-B/status');
    expect(b.body).toMatchObject({ status: 'WARNING', openAlertCounts: { LOW: 0, MEDIUM: 1, CRITICAL: 0 } });
    expect(b.body.openAlerts.map((a: { alertId: string }) => a.alertId)).toEqual(['B2']);
    const unknown = await get('/api/equipment/EQ-NOPE/status');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect(unknown.body.message).toMatch(/EQ-NOPE/);
    const tooLong = await get(`/api/equipment/${'x'.repeat(129)}/status`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/equipment id must be 1-128 characters/);
    // The longest id, percent-encoded (128 code points of 4 UTF-8 bytes), is a 404, not a 414.
    expect((await get(`/api/equipment/${encodeURIComponent('😀'.repeat(128))}/status`)).status).toBe(404);
  });
});

describe('GET /api/equipment/:id/sensor-history', () => {
  /** The oracle: the readings of [from, to) folded per bucket here, from the raw rows in memory. */
  function expectedBuckets(rows: SensorReadingRow[], fromMs: number, toMs: number, bucketMs: number) {
    const buckets = new Map<number, number[]>();
    for (const row of rows) {
      if (row.timestampMs < fromMs || row.timestampMs >= toMs) continue;
      const start = row.timestampMs - (row.timestampMs % bucketMs);
      buckets.set(start, [...(buckets.get(start) ?? []), row.value]);
    }
    return [...buckets]
      .sort(([a], [b]) => a - b)
      .map(([start, values]) => ({
        start: iso(start),
        count: values.length,
        min: Math.min(...values),
        avg: expect.closeTo(values.reduce((s, v) => s + v, 0) / values.length, 12),
        max: Math.max(...values),
        anomalies: rows.filter(
          (x) =>
            x.assessment === 'anomaly' &&
            x.timestampMs >= start &&
            x.timestampMs < start + bucketMs &&
            x.timestampMs >= fromMs &&
            x.timestampMs < toMs,
        ).length,
      }));
  }

  test.each([
    ['1m', MIN],
    ['5m', 5 * MIN],
    ['1h', 60 * MIN],
  ])('min / avg / max / count per %s bucket', async (bucket, bucketMs) => {
    const from = t0 + 2 * MIN;
    const to = t0 + 11 * MIN;
    const r = await get(
      `/api/equipment/EQ-A/sensor-history?sensorType=pressure&from=${iso(from)}&to=${iso(to)}&bucket=${bucket}`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      equipmentId: 'EQ-A',
      sensorType: 'pressure',
      bucket,
      from: iso(from),
      to: iso(to),
    });
    expect(r.body.buckets).toEqual(expectedBuckets(pressureA, from, to, bucketMs));
    expect(r.body.buckets.length).toBeGreaterThan(0);
  });

  test('the window is counted in whole minutes and echoed as counted', async () => {
    const r = await get(
      `/api/equipment/EQ-A/sensor-history?sensorType=pressure&from=${iso(t0 + 30 * SEC)}&to=${iso(t0 + 90 * SEC)}&bucket=1m`,
    );
    expect(r.body).toMatchObject({ from: iso(t0), to: iso(t0 + MIN) });
    expect(r.body.buckets).toEqual(expectedBuckets(pressureA, t0, t0 + MIN, MIN));
  });

  test('bad parameters are 400 naming them; unknown equipment is 404', async () => {
    const bad = await get(
      `/api/equipment/EQ-A/sensor-history?sensorType=pressure&from=${iso(t0)}&to=${iso(t0 + MIN)}&bucket=2m`,
    );
    expect(bad).toEqual({
      status: 400,
      body: {
        code: 'INVALID_QUERY',
        message: 'bucket must be one of 1m, 5m, 15m, 30m, 1h, 6h, 1d (got "2m")',
      },
    });
    expect(
      (
        await get(
          `/api/equipment/EQ-NOPE/sensor-history?sensorType=pressure&from=${iso(t0)}&to=${iso(t0 + MIN)}`,
        )
      ).status,
    ).toBe(404);
  });
});

test('GET /api/metrics/production: readings per hour, anomaly rate, share of minutes with readings', async () => {
  const from = t0;
  const to = t0 + 2 * 60 * MIN;
  const r = await get(`/api/metrics/production?from=${iso(from)}&to=${iso(to)}`);
  expect(r.status).toBe(200);
  const all = [...readings, lateTemperature];
  const inHour = (h: number) =>
    all.filter((x) => x.timestampMs >= from + h * 60 * MIN && x.timestampMs < from + (h + 1) * 60 * MIN);
  expect(r.body.hours).toEqual(
    [0, 1].map((h) => ({
      hour: iso(from + h * 60 * MIN),
      readings: inHour(h).length,
      anomalies: inHour(h).filter((x) => x.assessment === 'anomaly').length,
    })),
  );
  expect(r.body).toMatchObject({
    windowMinutes: 120,
    readings: all.length,
    anomalies: 1,
    anomalyRate: 1 / all.length,
    readingsPerHour: all.length / 2,
  });
  const minutesOf = (id: string) =>
    new Set(all.filter((x) => x.equipmentId === id).map((x) => Math.floor(x.timestampMs / MIN))).size;
  expect(r.body.equipment).toEqual(
    ['EQ-A', 'EQ-B', 'EQ-C'].map((id) => {
      const rows = all.filter((x) => x.equipmentId === id);
      const anomalies = rows.filter((x) => x.assessment === 'anomaly').length;
      return {
        equipmentId: id,
        readings: rows.length,
        anomalies,
        anomalyRate: anomalies / rows.length,
        minutesWithReadings: minutesOf(id),
        minutesWithReadingsShare: minutesOf(id) / 120,
      };
    }),
  );
  // A window where EQ-A and EQ-C were silent lists them with zeros; EQ-B, registered later, not at all.
  const quiet = await get(`/api/metrics/production?from=${iso(t0 + 30 * MIN)}&to=${iso(t0 + 40 * MIN)}`);
  expect(
    quiet.body.equipment.map((e: { equipmentId: string; readings: number }) => [e.equipmentId, e.readings]),
  ).toEqual([
    ['EQ-A', 0],
    ['EQ-C', 0],
  ]);
  expect(
    (await get(`/api/metrics/production?from=${iso(t0)}&to=${iso(t0 + 32 * 24 * 60 * MIN)}`)).status,
  ).toBe(400);
});

test('GET /api/sensors/types: the four types, their default units, what was read of them', async () => {
  const r = await get('/api/sensors/types');
  expect(r.status).toBe(200);
  expect(r.body).toEqual([
    { sensorType: 'temperature', defaultUnit: 'celsius', equipmentCount: 1, readingsCount: 3 },
    { sensorType: 'vibration', defaultUnit: 'mm/s', equipmentCount: 1, readingsCount: 1 },
    { sensorType: 'pressure', defaultUnit: 'bar', equipmentCount: 1, readingsCount: 36 },
    { sensorType: 'voltage', defaultUnit: 'volt', equipmentCount: 1, readingsCount: 1 },
  ]);
});
