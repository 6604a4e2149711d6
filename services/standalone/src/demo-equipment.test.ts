import { seededRandom } from '@shopfloor/contracts/testing';
import { assessValue, DEFAULT_DETECTOR_CONFIG, RollingWindow } from '@shopfloor/sensors';
import { describe, expect, test } from 'vitest';
import { createDemoEquipment, type DemoReading } from './demo-equipment.ts';

const T0 = Date.parse('2026-12-07T08:00:00Z');

function run(ticks: number, options = {}) {
  const demo = createDemoEquipment(options, seededRandom(7));
  return Array.from({ length: ticks }, (_, t) => demo.next(T0 + t * 1_000));
}

describe('createDemoEquipment', () => {
  test('three pieces of equipment with the four sensor types, one reading per series a tick, stamped with the tick', () => {
    const [first] = run(1);
    const fresh = first!.readings.slice(0, 12);
    expect(new Set(fresh.map((r) => r.equipmentId))).toEqual(new Set(['EQ-1', 'EQ-2', 'EQ-3']));
    expect(new Set(fresh.map((r) => r.sensorType))).toEqual(
      new Set(['temperature', 'vibration', 'pressure', 'voltage']),
    );
    expect(fresh.every((r) => r.timestamp === '2026-12-07T08:00:00.000Z')).toBe(true);
    expect(new Set(fresh.map((r) => r.readingId)).size).toBe(12);
  });

  test('no spike during the warm-up; then one every spikeEveryTicks, on the next series in turn', () => {
    const ticks = run(100, { warmupTicks: 40, spikeEveryTicks: 20 });
    const spikes = ticks.flatMap((t, i) => (t.spiked ? [[i, t.spiked] as const] : []));
    expect(spikes).toEqual([
      [40, 'EQ-1 temperature'],
      [60, 'EQ-1 vibration'],
      [80, 'EQ-1 pressure'],
    ]);
  });

  test("normal readings never alert and a spike is CRITICAL, by the detector's own rule", () => {
    const ticks = run(200, { warmupTicks: 40, spikeEveryTicks: 30 });
    const windows = new Map<string, RollingWindow>();
    const severities: string[] = [];
    const seen = new Set<string>();
    for (const { readings } of ticks) {
      for (const r of readings as DemoReading[]) {
        if (seen.has(r.readingId)) continue; // a retry: the processor dedupes it before detection
        seen.add(r.readingId);
        const key = `${r.equipmentId} ${r.sensorType}`;
        const window = windows.get(key) ?? new RollingWindow(DEFAULT_DETECTOR_CONFIG.windowSize);
        windows.set(key, window);
        const assessment = assessValue(window, r.value, DEFAULT_DETECTOR_CONFIG);
        if (assessment.kind === 'anomaly') severities.push(assessment.severity);
        else window.push(r.value);
      }
    }
    expect(severities).toEqual(Array(6).fill('CRITICAL'));
  });

  test('now and then a reading already sent is sent again (a retry), never one not sent before', () => {
    const ticks = run(200);
    const sent = new Set<string>();
    let retries = 0;
    for (const { readings } of ticks) {
      const fresh = readings.slice(0, 12);
      for (const r of readings.slice(12)) {
        expect(sent.has(r.readingId)).toBe(true);
        retries++;
      }
      for (const r of fresh) sent.add(r.readingId);
    }
    expect(retries).toBeGreaterThan(5);
    expect(retries).toBeLessThan(60);
  });
});
