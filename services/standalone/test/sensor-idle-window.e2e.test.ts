import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText, sumOf } from '@shopfloor/metrics/testing';
import { sensorReadingsOf } from '@shopfloor/test-support';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';

// The sensor readings projector's idle window (SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS): while
// no synchronous webhook request waits, a group gathers for the window; a request that starts to
// wait closes the open window, so a synchronous answer never waits it out. The window here (10 s)
// is beyond the sync timeout (4 s): a held synchronous request would be answered 202.
const IDLE_WINDOW_MS = 10_000; // the setting's bound
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({
    SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS: String(IDLE_WINDOW_MS),
    SHOPFLOOR_SYNC_TIMEOUT_MS: '4000',
  });
});
afterAll(async () => {
  await sys?.close();
});

const { reading } = sensorReadingsOf(`EQ-${randomBytes(3).toString('hex')}`);
const post = async (readings: unknown[], query = '') => {
  const res = await fetch(`${sys.url}/api/webhook/sensor-data${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ readings }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const jobStatus = async (statusUrl: string) =>
  ((await (await fetch(`${sys.url}${statusUrl}`)).json()) as { status: string }).status;
const acceptedSoFar = async () =>
  sumOf(
    parsePrometheusText(await (await fetch(`${sys.url}/metrics`)).text()),
    'shopfloor_sensor_readings_total',
    {
      outcome: 'accepted',
    },
  );

test('an async job waits in the idle window; a synchronous request closes it and is answered at once', async () => {
  const before = await acceptedSoFar();
  const held = await post([reading(0, 4.0), reading(1, 4.4)], '?mode=async');
  expect(held.status).toBe(202);
  // Committed by the anomaly processor (so on its way to the projector, whose fetch waits at most
  // 30 ms), then still not visible a second later: the projector holds it in the open window.
  await expect.poll(acceptedSoFar, { timeout: 30_000 }).toBe(before + 2);
  await sleep(1_000);
  expect(await jobStatus(held.body.statusUrl)).toBe('pending');

  const waited = await post([reading(2, 4.0), reading(3, 4.4)]);
  expect(waited.status).toBe(200);
  expect(waited.body).toMatchObject({ readings: 2, accepted: 2, deduped: 0, rejected: 0 });
  // The held job went out with the window the request closed.
  expect(await jobStatus(held.body.statusUrl)).toBe('complete');
});

test('with nobody waiting, the window ends on its own and the job completes', async () => {
  const job = await post([reading(10, 4.0)], '?mode=async');
  expect(job.status).toBe(202);
  await expect
    .poll(() => jobStatus(job.body.statusUrl), { timeout: IDLE_WINDOW_MS + 30_000 })
    .toBe('complete');
}, 90_000);
