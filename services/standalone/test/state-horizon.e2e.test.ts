import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ids, startTestSystem, type TestSystem } from './system-harness.ts';

// Bounded state: with a 1 s horizon, entries leave the dedupe state quickly; an event whose
// eventId left the state must still be decided against its winner (found in ClickHouse).
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({
    SHOPFLOOR_STATE_HORIZON_SECONDS: '1',
    SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: '100',
  });
});
afterAll(async () => {
  await sys?.close();
});

test('an event older than the horizon is never double counted', async () => {
  const id = ids('horizon');
  const event = (n: number, defectCount: number) => ({
    eventId: id.event(n),
    eventTime: '2026-01-15T08:00:00Z', // months in the past
    machineId: id.machine(),
    lineId: id.line(),
    factoryId: id.factory(),
    durationMs: 100,
    defectCount,
  });
  expect((await sys.post([event(1, 1), event(2, 2)])).body).toMatchObject({ accepted: 2 });

  // Let the entries age past the horizon, then give every partition batches to sweep in.
  const evictedBefore = sys.dedupe.counters.evicted;
  await sleep(1_500);
  for (let i = 0; i < 40 && sys.dedupe.counters.evicted < evictedBefore + 2; i++) {
    await sys.post(
      Array.from({ length: 30 }, (_, j) => ({ ...event(1000 + i * 30 + j, 0), machineId: id.machine(2) })),
    );
    await sleep(150);
  }
  expect(sys.dedupe.counters.evicted).toBeGreaterThanOrEqual(evictedBefore + 2);

  const foundBefore = sys.dedupe.counters.found;
  // The same payload again: deduped, thanks to the winner found in ClickHouse.
  expect((await sys.post([event(1, 1)])).body).toMatchObject({ accepted: 0, deduped: 1 });
  // A correction: updated, retracting the version that is in ClickHouse.
  expect((await sys.post([event(2, 5)])).body).toMatchObject({ accepted: 0, updated: 1 });
  expect(sys.dedupe.counters.found).toBeGreaterThanOrEqual(foundBefore + 2);

  const stats = await sys.get(
    `/stats?machineId=${encodeURIComponent(id.machine())}&start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z`,
  );
  expect(stats.body).toMatchObject({ eventsCount: 2, defectsCount: 6 });
});
