import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@shopfloor/local-kafka';
import { sensorReadingsOf, trackedAllInOnes, waitUntilUp } from '@shopfloor/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, createCliContext } from '../src/cli-context.ts';
import { buildProgram } from '../src/commands.ts';
import { resetDerived } from '../src/reset-derived-command.ts';
import { collectStatus } from '../src/status.ts';
import { suiteSystemEnv } from './system-env.ts';

// The operator command over the sensor and metric-events streams, against the all-in-one process
// (a child: its embedded ClickHouse is opened again by `reset-derived` here, then by its restart) on
// the suite's broker and registry: status shows the three streams; `rebuild` (all streams, then one)
// gives the same rows, alerts (a resolved one stays resolved) and aggregates; `reset-derived` then a
// restart derives all three streams again from their logs.
const { prefix, dataDir, env, removeDataDir } = suiteSystemEnv('opst', { partitions: 2 });
let ctx: CliContext;
let url: string;
const allInOnes = trackedAllInOnes(removeDataDir);

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env.PORT = String(port); // the child's address, known before it starts
  ctx = createCliContext({ url }, env, () => {});
  await start();
}, 300_000);

async function start() {
  const p = allInOnes.spawn(env);
  await waitUntilUp(p, 240_000);
  // Ready once every processor member restored its partitions (in beforeAll too: no expect.poll).
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${url}/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`not ready: ${await (await fetch(`${url}/ready`)).text()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop() {
  const p = allInOnes.latest()!;
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
}

const call = async (method: string, pathAndQuery: string, body?: unknown) => {
  const res = await fetch(`${url}${pathAndQuery}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
};

const T = Date.parse('2026-03-01T10:00:00Z');
const equipmentId = `EQ-${prefix}`;
const { reading, baseline } = sensorReadingsOf(equipmentId, { t0: T });
const clientId = `client-${prefix}`;
const metricEvent = (amount: number, second: number, metric = 'pieces') => ({
  client_id: clientId,
  payload: { metric, amount, timestamp: new Date(T + second * 1_000).toISOString() },
});
const window = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

/** What the sensor and metric queries answer, and the tables' contents (rollups summed). */
async function snapshot() {
  const get = async (q: string) => (await call('GET', q)).body;
  return {
    alerts: await get(`/api/alerts/history?equipmentId=${equipmentId}`),
    status: await get(`/api/equipment/${equipmentId}/status`),
    history: await get(
      `/api/equipment/${equipmentId}/sensor-history?sensorType=vibration&${window}&bucket=1m`,
    ),
    aggregates: await get(`/aggregates?client_id=${clientId}&${window}&by=metric`),
    processed: await get(`/events/processed?client_id=${clientId}`),
    failed: await get(`/events/failed?client_id=${clientId}`),
  };
}
async function rebuild(...args: string[]) {
  const lines: string[] = [];
  await buildProgram(() => ({ ...ctx, out: (line) => lines.push(line) })).parseAsync([
    'node',
    'shopfloor',
    'rebuild',
    ...args,
  ]);
  return lines.join('\n');
}

describe('operating the sensor and metric-events streams', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;

  it('a workload: a CRITICAL alert, resolved; a rejected reading; counted, duplicate and failed metric events', async () => {
    // 40 readings alternating 4.0 and 4.4 (mean 4.2, stddev 0.2), then 5.3: z = 5.5, CRITICAL.
    const bad = { equipmentId, sensorType: 'humidity', value: 1, timestamp: 'x' };
    expect(
      (await call('POST', '/api/webhook/sensor-data', { readings: [...baseline(40), bad] })).body,
    ).toMatchObject({ accepted: 40, rejected: 1 });
    expect(
      (await call('POST', '/api/webhook/sensor-data', { readings: [reading(100, 5.3), reading(101, 4.2)] }))
        .body,
    ).toMatchObject({ accepted: 2 });
    const alerts = (await call('GET', `/api/alerts/history?equipmentId=${equipmentId}`)).body;
    const alert = alerts.alerts[0];
    expect(alert).toMatchObject({ severity: 'CRITICAL', status: 'OPEN' });
    expect((await call('PATCH', `/api/alerts/${alert.alertId}/resolve`, { note: 'fixed' })).status).toBe(200);

    for (const [amount, second] of [
      [10, 1],
      [20, 2],
      [30, 90],
    ] as const)
      expect((await call('POST', '/events', metricEvent(amount, second))).body).toMatchObject({
        duplicate: false,
      });
    expect((await call('POST', '/events', metricEvent(10, 1))).body).toMatchObject({ duplicate: true });
    const rejected = await call('POST', '/events', { client_id: clientId, payload: { metric: 'pieces' } });
    expect(rejected.status).toBe(422);
    await expect
      .poll(async () => JSON.stringify((await call('GET', `/events/failed?client_id=${clientId}`)).body))
      .toContain(rejected.body.reason);
    before = await snapshot();
    expect(before.aggregates).toMatchObject({ count: 3, totalAmount: 60 });
    expect(JSON.stringify(before.alerts)).toContain('RESOLVED');
  });

  it('status: the three streams, their groups, state entries from each changelog, dead letters per stream', async () => {
    const status = await collectStatus(ctx);
    const groupsOf = (stream: string) =>
      status.groups.filter((g) => g.stream === stream).map((g) => [g.role, g.group, g.members]);
    expect(groupsOf('sensors')).toEqual([
      ['processor', `${prefix}sensors`, 1],
      ['projector', `${prefix}sensor-projector`, 1],
      ['projector', `${prefix}sensor-projector-alerts`, 1],
    ]);
    expect(groupsOf('metric-events')).toEqual([
      ['processor', `${prefix}metric-events`, 1],
      ['projector', `${prefix}metric-events-projector`, 1],
    ]);
    expect(status.groups.find((g) => g.group === `${prefix}sensors`)!.lag).toBe('0');
    // The metric state holds one identity per counted event.
    const entries = (stream: string) =>
      status.state.filter((s) => s.stream === stream).reduce((n, s) => n + (s.entries ?? 0), 0);
    expect(entries('metric-events')).toBe(3);
    expect(entries('sensors')).toBeGreaterThan(0);
    const sensorSinks = status.projector.filter((p) => p.stream === 'sensors').map((p) => p.topic);
    expect(sensorSinks).toContain(`${prefix}sensor.alert-resolutions`);
    expect(sensorSinks).toContain(`${prefix}sensor.alerts`); // the alert projector's own positions
    const dead = Object.fromEntries(status.deadLetters.map((d) => [d.stream, [d.inLog, d.inClickHouse]]));
    expect(dead.sensors).toEqual(['1', 1]);
    expect(dead['metric-events']).toEqual(['1', 1]);
  });

  it('rebuild of every stream, then of one: the same alerts (still resolved), rows and aggregates', async () => {
    const all = await rebuild();
    expect(all).toMatch(/rebuild succeeded \(events, sensors, metric-events\): \d+ records re-projected/);
    expect(await snapshot()).toEqual(before);
    const one = await rebuild('--stream', 'metric-events');
    expect(one).toMatch(/rebuild succeeded \(metric-events\)/);
    expect(await snapshot()).toEqual(before);
    await expect(rebuild('--stream', 'nope')).rejects.toThrow();
  }, 180_000);

  it('reset-derived, then a restart derives all three streams again from their logs', async () => {
    await stop();
    const lines: string[] = [];
    await buildProgram(() => ({ ...ctx, out: (line) => lines.push(line) })).parseAsync([
      'node',
      'shopfloor',
      'reset-derived',
    ]);
    const dry = lines.join('\n');
    expect(dry).toMatch(
      /^would empty \(dry-run; add --execute\) \d+ ClickHouse tables \(embedded\): .*metric_minute_totals.*sensor_series/,
    );
    expect(dry).toContain(
      `would remove the metric-events state ${path.join(dataDir, 'metric-state', 'default')}`,
    );
    const plan = await resetDerived(ctx, { execute: true });
    expect(plan.clickhouse?.tables).toEqual(
      expect.arrayContaining([
        'sensor_readings',
        'sensor_alerts',
        'sensor_alert_resolutions',
        'metric_events',
      ]),
    );
    expect(plan.states.map((s) => s.stream)).toEqual(['events', 'metric-events']);
    expect(existsSync(path.join(dataDir, 'metric-state'))).toBe(true);
    expect(existsSync(plan.states[1]!.dir)).toBe(false);
    await start();
    await expect.poll(snapshot, { timeout: 60_000, interval: 500 }).toEqual(before);
    // The processors' state came back from their changelogs: re-sent input is still a duplicate.
    expect((await call('POST', '/events', metricEvent(20, 2))).body).toMatchObject({ duplicate: true });
    expect(
      (await call('POST', '/api/webhook/sensor-data', { readings: [reading(100, 5.3)] })).body,
    ).toMatchObject({ accepted: 0, deduped: 1 });
  }, 400_000);
});
