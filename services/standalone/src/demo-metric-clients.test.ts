import { seededRandom } from '@shopfloor/contracts/testing';
import { validateMetricEvent } from '@shopfloor/metric-events';
import { describe, expect, test } from 'vitest';
import { createDemoMetricClients } from './demo-metric-clients.ts';

const T0 = Date.parse('2026-12-07T08:00:00Z');

describe('createDemoMetricClients', () => {
  const demo = createDemoMetricClients('demo-line', seededRandom(3));
  const ticks = Array.from({ length: 100 }, (_, t) => demo.next(T0 + t * 1_000));

  test("two clients, an event per metric each tick, every one valid by the stream's own rule", () => {
    for (const [t, events] of ticks.entries()) {
      const fresh = events.slice(0, 6);
      expect(new Set(fresh.map((e) => e.client_id))).toEqual(new Set(['demo-line-1', 'demo-line-2']));
      expect(new Set(fresh.map((e) => e.payload.metric)).size).toBe(3);
      for (const e of events) {
        expect(validateMetricEvent(e, { allowSimulatedFailures: false })).toMatchObject({ ok: true });
      }
      expect(fresh.every((e) => e.payload.timestamp === new Date(T0 + t * 1_000).toISOString())).toBe(true);
    }
  });

  test('now and then an event already sent is sent again unchanged (a retry)', () => {
    const sent = new Set<string>();
    let retries = 0;
    for (const events of ticks) {
      for (const e of events.slice(6)) {
        expect(sent.has(JSON.stringify(e))).toBe(true);
        retries++;
      }
      for (const e of events.slice(0, 6)) sent.add(JSON.stringify(e));
    }
    expect(retries).toBeGreaterThan(5);
    expect(retries).toBeLessThan(40);
  });
});
