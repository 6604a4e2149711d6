import { describe, expect, it } from 'vitest';
import {
  insertSensorAlertResolutions,
  insertSensorAlerts,
  insertSensorReadings,
  querySensorAlerts,
  querySensorHistory,
  type SensorAlertRow,
} from '../src/index.ts';
import { embeddedClickHouseForFile } from '../src/testing/for-file.ts';
import { sampleSensorAlertRow, sampleSensorReadingRow } from '../src/testing/sensor-rows.ts';

// The sensor stream's tables (migrations 0020, 0021) on the embedded engine: minute rollups that a
// replayed insert does not double count, alerts that collapse per id, resolutions where the
// earliest wins.
const t0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

const db = embeddedClickHouseForFile();

const row = (i: number, value: number, atMs: number, anomaly = false) =>
  sampleSensorReadingRow({
    id: String(i),
    equipmentId: 'EQ-1',
    sensorType: 'pressure',
    value,
    atMs,
    anomaly,
  });

describe('sensor readings', () => {
  it('rolls up min / avg / max / count per bucket, and a replayed insert counts once', async () => {
    const first = [row(1, 2, t0), row(2, 4, t0 + 10_000), row(3, 9, t0 + MIN + 1, true)];
    const second = [row(4, 1, t0 + 5 * MIN), row(5, 3, t0 + 6 * MIN - 1)];
    await insertSensorReadings(db.ch.writer, first, { dedupToken: 'sensor.readings:0:0-2' });
    await insertSensorReadings(db.ch.writer, second, { dedupToken: 'sensor.readings:0:3-4' });
    await insertSensorReadings(db.ch.writer, first, { dedupToken: 'sensor.readings:0:0-2' });
    const q = { equipmentId: 'EQ-1', sensorType: 'pressure', fromMs: t0, toMs: t0 + 10 * MIN };
    expect(await querySensorHistory(db.ch.reader, { ...q, bucketMinutes: 1 })).toEqual([
      { bucket: '2026-03-01T10:00:00Z', count: 2, min: 2, avg: 3, max: 4, anomalies: 0 },
      { bucket: '2026-03-01T10:01:00Z', count: 1, min: 9, avg: 9, max: 9, anomalies: 1 },
      { bucket: '2026-03-01T10:05:00Z', count: 2, min: 1, avg: 2, max: 3, anomalies: 0 },
    ]);
    expect(await querySensorHistory(db.ch.reader, { ...q, bucketMinutes: 60 })).toEqual([
      { bucket: '2026-03-01T10:00:00Z', count: 5, min: 1, avg: 19 / 5, max: 9, anomalies: 1 },
    ]);
    expect(await querySensorHistory(db.ch.reader, { ...q, sensorType: 'voltage', bucketMinutes: 1 })).toEqual(
      [],
    );
  });
});

describe('sensor alerts', () => {
  const alert = (id: string, severity: SensorAlertRow['severity'], raisedAt: number) =>
    sampleSensorAlertRow(id, 'EQ-7', severity, raisedAt);

  it('keeps one row per alert id under replay and resolves with the earliest resolution', async () => {
    await insertSensorAlerts(db.ch.writer, [alert('a1', 'LOW', t0), alert('a2', 'CRITICAL', t0 + 1_000)]);
    // A rebuild without the same token re-sends the same alerts: ReplacingMergeTree + FINAL.
    await insertSensorAlerts(db.ch.writer, [alert('a1', 'LOW', t0)]);
    const open = await querySensorAlerts(db.ch.reader, { equipmentId: 'EQ-7', limit: 10 });
    expect(open.map((a) => [a.alertId, a.severity, a.status])).toEqual([
      ['a2', 'CRITICAL', 'OPEN'],
      ['a1', 'LOW', 'OPEN'],
    ]);
    expect(open[0]?.zScore).toBeNull();

    await insertSensorAlertResolutions(db.ch.writer, [
      { alertId: 'a1', resolvedBy: 'ana', note: 'valve', resolvedAt: t0 + 60_000 },
    ]);
    await insertSensorAlertResolutions(db.ch.writer, [
      { alertId: 'a1', resolvedBy: 'bob', note: null, resolvedAt: t0 + 90_000 },
    ]);
    const resolved = await querySensorAlerts(db.ch.reader, { status: 'RESOLVED', limit: 10 });
    expect(resolved).toEqual([
      expect.objectContaining({
        alertId: 'a1',
        status: 'RESOLVED',
        resolvedBy: 'ana',
        resolvedAtMs: t0 + 60_000,
      }),
    ]);
    const stillOpen = await querySensorAlerts(db.ch.reader, { status: 'OPEN', limit: 10 });
    expect(stillOpen.map((a) => a.alertId)).toEqual(['a2']);
  });
});
