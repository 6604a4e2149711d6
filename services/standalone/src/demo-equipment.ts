import type { Logger } from 'pino';
import { postDemoJson, repeatDemoTick } from './demo-loop.ts';

/** One simulated sensor: its equipment, its type and unit, and the band its normal values stay in. */
type DemoSeries = { equipmentId: string; sensorType: string; unit: string; base: number; spread: number };

export type DemoReading = {
  readingId: string;
  equipmentId: string;
  sensorType: string;
  value: number;
  unit: string;
  timestamp: string;
};

export type DemoEquipmentOptions = {
  /** Equipment ids are `<prefix>-1` ... (default `EQ`: EQ-1, EQ-2, EQ-3). */
  prefix?: string;
  /** Ticks before the first spike: the detector waits for its minimum window (30 readings). */
  warmupTicks?: number;
  /** A spike every this many ticks after the warm-up, on the next series in turn. */
  spikeEveryTicks?: number;
};

const SENSORS = [
  { sensorType: 'temperature', unit: 'celsius', base: 70, spread: 1.5 },
  { sensorType: 'vibration', unit: 'mm/s', base: 4.2, spread: 0.3 },
  { sensorType: 'pressure', unit: 'bar', base: 6, spread: 0.2 },
  { sensorType: 'voltage', unit: 'volt', base: 400, spread: 4 },
] as const;

/**
 * The demo's readings, one tick at a time: each series posts one value uniform within base ± spread
 * (|z| stays under ~1.8, so normal noise never alerts); from `warmupTicks` on, every
 * `spikeEveryTicks` ticks one series (the next in turn) reads base + 12 spreads (z ~ 20: a CRITICAL
 * alert); and now and then a reading already sent is sent again (a machine retrying: deduped, never
 * a second alert). Pure but for `random`, so it is tested without a clock.
 */
export function createDemoEquipment(options: DemoEquipmentOptions = {}, random: () => number = Math.random) {
  const prefix = options.prefix ?? 'EQ';
  const warmupTicks = options.warmupTicks ?? 40;
  const spikeEvery = options.spikeEveryTicks ?? 60;
  const series: DemoSeries[] = [1, 2, 3].flatMap((n) =>
    SENSORS.map((s) => ({ equipmentId: `${prefix}-${n}`, ...s })),
  );
  let tick = 0;
  let spikes = 0;
  let last: DemoReading | undefined;

  return {
    /** The readings of the next tick, stamped `nowMs`; `spiked` names the series that spiked, if one did. */
    next(nowMs: number): { readings: DemoReading[]; spiked: string | undefined } {
      const t = tick++;
      const timestamp = new Date(nowMs).toISOString();
      const spikeAt =
        t >= warmupTicks && (t - warmupTicks) % spikeEvery === 0
          ? series[spikes++ % series.length]
          : undefined;
      const readings = series.map((s) => ({
        readingId: `${s.equipmentId}-${s.sensorType}-${nowMs}-${t}`,
        equipmentId: s.equipmentId,
        sensorType: s.sensorType,
        value: s === spikeAt ? round(s.base + 12 * s.spread) : round(s.base + (random() * 2 - 1) * s.spread),
        unit: s.unit,
        timestamp,
      }));
      const retry = last !== undefined && random() < 0.1 ? [last] : [];
      last = readings[Math.floor(random() * readings.length)];
      return {
        readings: [...readings, ...retry],
        spiked: spikeAt && `${spikeAt.equipmentId} ${spikeAt.sensorType}`,
      };
    },
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Simulated equipment posting sensor readings to the webhook over HTTP, beside the demo machines, so
 * the start command shows the sensor stream at work: the equipment's status, its history and, every
 * minute or so, a spike raising a CRITICAL alert (in `GET /api/alerts/critical` and the dashboard).
 */
export function startDemoEquipment(
  options: { baseUrl: string; log: Logger; intervalMs?: number } & DemoEquipmentOptions,
): { stop(): void } {
  const { baseUrl, log } = options;
  const demo = createDemoEquipment(options);
  const tick = async (n: number) => {
    const { readings, spiked } = demo.next(Date.now());
    const answer = await postDemoJson(`${baseUrl}/api/webhook/sensor-data`, { readings });
    if (spiked) log.info({ spiked, answer }, 'demo: a sensor spiked (expect a CRITICAL alert)');
    if (n % 10 === 0) {
      const critical = (await (await fetch(`${baseUrl}/api/alerts/critical`)).json()) as unknown[];
      log.info({ answer, openCriticalAlerts: critical.length }, 'demo: posted sensor readings');
    }
  };

  return repeatDemoTick(tick, {
    intervalMs: options.intervalMs ?? 1000,
    log,
    failure: 'demo readings failed',
  });
}
