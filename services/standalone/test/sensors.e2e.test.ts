import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { querySensorAlerts } from '@shopfloor/clickhouse';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startDemoEquipment } from '../src/demo-equipment.ts';
import { demoAnswerLog, startTestSystem, type TestSystem } from './system-harness.ts';

// The sensor stream through HTTP on the all-in-one process: the webhook, the anomaly processor,
// the projector into ClickHouse and the alert resolution, with the real broker and registry.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

const T = Date.parse('2026-03-01T10:00:00Z');
const send = async (readings: unknown[], query = '') => {
  const res = await fetch(`${sys.url}/api/webhook/sensor-data${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ readings }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
};
const resolve = async (alertId: string, body?: object) => {
  const res = await fetch(`${sys.url}/api/alerts/${alertId}/resolve`, {
    method: 'PATCH',
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('sensor readings over HTTP', () => {
  const equipmentId = `EQ-${randomBytes(3).toString('hex')}`;
  const reading = (i: number, value: number, readingId: string | undefined = `${equipmentId}-${i}`) => ({
    ...(readingId ? { readingId } : {}),
    equipmentId,
    sensorType: 'vibration',
    value,
    timestamp: new Date(T + i * 1_000).toISOString(),
  });
  // 40 readings alternating 4.0 and 4.4: mean 4.2, population stddev 0.2.
  const baseline = Array.from({ length: 40 }, (_, i) => reading(i, i % 2 ? 4.4 : 4.0));
  const spike = reading(100, 5.3); // z = (5.3 - 4.2) / 0.2 = 5.5: CRITICAL
  const alertsOf = () => querySensorAlerts(sys.clickhouse, { equipmentId, limit: 10 });

  test('a spike after a normal baseline raises exactly one CRITICAL alert; re-sent readings raise none', async () => {
    const first = await send([
      ...baseline,
      { equipmentId, sensorType: 'humidity', value: 1, timestamp: 'x' },
    ]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ readings: 41, accepted: 40, deduped: 0, rejected: 1 });
    expect(first.body.rejections).toEqual([{ index: 40, readingId: null, reason: 'INVALID_SENSOR_TYPE' }]);

    const spiked = await send([spike, reading(101, 4.2)]);
    expect(spiked.body).toMatchObject({ accepted: 2, deduped: 0, rejected: 0 });
    // The default answer comes once the outcome is visible to queries: the alert is there already.
    const alerts = await alertsOf();
    expect(alerts).toEqual([
      expect.objectContaining({ severity: 'CRITICAL', zScore: expect.closeTo(5.5, 9), status: 'OPEN' }),
    ]);

    // A retry of the whole request, and the spike twice in one request.
    const retried = await send([spike, reading(101, 4.2)]);
    expect(retried.body).toMatchObject({ accepted: 0, deduped: 2 });
    const twice = await send([spike, spike]);
    expect(twice.body).toMatchObject({ accepted: 0, deduped: 2 });
    expect(await alertsOf()).toHaveLength(1);
    const rows = await sys.clickhouse.query(
      `SELECT count() AS n FROM sensor_readings WHERE equipment_id = {e:String}`,
      { params: { e: equipmentId } },
    );
    expect(Number(rows[0]?.n)).toBe(42);
  });

  test('async mode answers 202 and the job status completes', async () => {
    const r = await send([reading(200, 4.1), reading(200, 4.1)], '?mode=async');
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(r.body.statusUrl);
    await expect
      .poll(
        async () => (await (await fetch(`${sys.url}${r.body.statusUrl}`)).json()) as Record<string, unknown>,
        {
          timeout: 30_000,
        },
      )
      .toEqual({
        jobId: r.body.jobId,
        status: 'complete',
        readings: 2,
        recorded: 2,
        accepted: 1,
        deduped: 1,
        rejected: 0,
        rejections: [],
      });
  });

  test('resolving twice gives one resolution; an unknown alert is 404', async () => {
    const [alert] = await alertsOf();
    expect(alert).toBeDefined();
    const first = await resolve(alert!.alertId, { note: 'bearing replaced' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      alertId: alert!.alertId,
      status: 'RESOLVED',
      resolvedBy: 'anonymous',
    });
    const second = await resolve(alert!.alertId);
    expect(second).toEqual(first);
    expect(await alertsOf()).toEqual([
      expect.objectContaining({ status: 'RESOLVED', resolvedBy: 'anonymous' }),
    ]);
    const rows = await sys.clickhouse.query(
      'SELECT count() AS n FROM sensor_alert_resolutions WHERE alert_id = {a:String}',
      { params: { a: alert!.alertId } },
    );
    expect(Number(rows[0]?.n)).toBe(1);
    expect((await resolve('ffffffffffffffffffffffffffffffff')).status).toBe(404);
  });

  test("the processor member's id is kept in the data dir, so a restart fences its killed run", () => {
    const file = path.join(sys.dataDir, 'sensor-state', 'default', 'member-id');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('alert severities over HTTP (issue 12: LOW [3, 4), MEDIUM [4, 5), CRITICAL >= 5)', () => {
  const equipmentId = `EQ-SEV-${randomBytes(3).toString('hex')}`;
  const reading = (i: number, value: number) => ({
    readingId: `${equipmentId}-${i}`,
    equipmentId,
    sensorType: 'pressure',
    value,
    timestamp: new Date(T + i * 1_000).toISOString(),
  });
  // 40 readings alternating 100 and 102: mean 101, population stddev exactly 1 (the detector's
  // rule; the sample stddev would be ~1.0127 and move every z below by ~1.3 %). 40 >= the minimum
  // window of 30, below the window size of 100, so nothing is evicted.
  const baseline = Array.from({ length: 40 }, (_, i) => reading(i, i % 2 ? 102 : 100));
  // Anomalies stay out of the baseline, so each is judged against the same mean 101 / stddev 1.
  const low = reading(100, 104.5); // z = 3.5
  const medium = reading(101, 96.5); // z = -4.5: the band is by |z|
  const critical = reading(102, 107); // z = 6
  // A normal reading enters the baseline, so it goes last: z = 2.99, no alert.
  const belowThreshold = reading(103, 103.99);

  const history = async (query = '') => {
    const res = await fetch(`${sys.url}/api/alerts/history?equipmentId=${equipmentId}${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { alerts: Array<Record<string, any>> }).alerts;
  };

  test('one alert of each severity with its z-score and reading; just below 3 sigma raises none', async () => {
    const warm = await send(baseline);
    expect(warm.body).toMatchObject({ accepted: 40, deduped: 0, rejected: 0 });
    expect(await history()).toEqual([]);

    const anomalies = await send([low, medium, critical]);
    expect(anomalies.body).toMatchObject({ accepted: 3, deduped: 0, rejected: 0 });
    const quiet = await send([belowThreshold]);
    expect(quiet.body).toMatchObject({ accepted: 1, deduped: 0, rejected: 0 });

    const alerts = await history();
    const bySeverity = Object.fromEntries(alerts.map((a) => [a.severity, a]));
    expect(alerts).toHaveLength(3);
    const expected = (r: ReturnType<typeof reading>, zScore: number) =>
      expect.objectContaining({
        equipmentId,
        sensorType: 'pressure',
        status: 'OPEN',
        readingId: r.readingId,
        value: r.value,
        readingTimestamp: r.timestamp,
        zScore: expect.closeTo(zScore, 9),
        mean: expect.closeTo(101, 9),
        stddev: expect.closeTo(1, 9),
        baselineCount: 40,
      });
    expect(bySeverity).toEqual({
      LOW: expected(low, 3.5),
      MEDIUM: expected(medium, -4.5),
      CRITICAL: expected(critical, 6),
    });
    // The severity filter of the history finds each one alone.
    for (const severity of ['LOW', 'MEDIUM', 'CRITICAL']) {
      expect((await history(`&severity=${severity}`)).map((a) => a.readingId)).toEqual([
        bySeverity[severity]?.readingId,
      ]);
    }

    // The reading at z = 2.99 was judged (normal), not lost: it is the sensor's latest assessment.
    const status = await fetch(`${sys.url}/api/equipment/${equipmentId}/status`);
    expect(status.status).toBe(200);
    const { sensors } = (await status.json()) as { sensors: Array<Record<string, any>> };
    expect(sensors).toEqual([
      expect.objectContaining({
        sensorType: 'pressure',
        value: 103.99,
        assessment: 'normal',
        zScore: expect.closeTo(2.99, 9),
      }),
    ]);
  });
});

describe("the start command's demo equipment (SHOPFLOOR_DEMO)", () => {
  test('its readings are accepted, its retries deduped, and its spike raises one CRITICAL alert', async () => {
    const prefix = `DEMO-${randomBytes(3).toString('hex')}`;
    const { log, answers: loggedAnswers } = demoAnswerLog();
    // One spike, after the detector's minimum window (30) has filled; ticks 20 ms apart.
    const demo = startDemoEquipment({
      baseUrl: sys.url,
      log,
      intervalMs: 20,
      prefix,
      warmupTicks: 35,
      spikeEveryTicks: 10_000,
    });
    try {
      const critical = async () => {
        const res = await fetch(`${sys.url}/api/alerts/critical?equipmentId=${prefix}-1`);
        return (await res.json()) as Array<Record<string, any>>;
      };
      await vi.waitFor(async () => expect(await critical()).toHaveLength(1), {
        timeout: 60_000,
        interval: 250,
      });
      const [alert] = await critical();
      expect(alert).toMatchObject({
        equipmentId: `${prefix}-1`,
        sensorType: 'temperature',
        severity: 'CRITICAL',
      });
      const status = (await (await fetch(`${sys.url}/api/equipment/${prefix}-1/status`)).json()) as Record<
        string,
        any
      >;
      expect(status.status).toBe('CRITICAL');
      expect(status.sensors).toHaveLength(4);
    } finally {
      demo.stop();
    }
    // Every answer it logged counted every reading: accepted or deduped (its retries), none rejected.
    const answers = loggedAnswers();
    expect(answers.length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(a.rejected).toBe(0);
      expect(a.accepted! + a.deduped!).toBe(a.readings);
    }
    expect(await (await fetch(`${sys.url}/api/alerts/critical?equipmentId=${prefix}-2`)).json()).toEqual([]);
  }, 120_000);
});
