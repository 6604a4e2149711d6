// The devices of a fault-injection run on the sensor stream: seeded generators of reading batches
// for the equipment one client owns (so the per-equipment order of first postings is the client's
// generation order, which the pure core replays as the ground truth). Readings with and without a
// readingId, exact re-sent copies, re-sent copies of id-less readings with another value (still the
// same reading), spikes after the warm-up, and a few readings the webhook must reject.
import { seededRandom } from '@shopfloor/contracts/testing';
import type { SensorType } from '@shopfloor/sensors';
import { DAY_START_MS } from './workload.ts';

export type ReadingInput = {
  readingId?: string;
  equipmentId: string;
  sensorType: SensorType | string;
  value: number;
  unit?: string;
  timestamp: string;
};

export type SensorWorkloadCounts = {
  batches: number;
  readings: number;
  /** New readings (with or without readingId). */
  fresh: number;
  withoutId: number;
  /** Re-sent copies of an earlier reading (an exact copy, or an id-less one with another value). */
  duplicates: number;
  /** Values 3.5 to 12 baseline deviations away (whether they alert is the detector's call). */
  spikes: number;
  /** Readings the webhook rejects (INVALID_SENSOR_TYPE). */
  invalid: number;
};

export interface SensorRatios {
  duplicates?: number;
  withoutId?: number;
  spikes?: number;
  invalid?: number;
}

// Per sensor type: a plausible baseline (mean, standard deviation) and a non-default unit now and then.
const BASELINES: Record<SensorType, { mean: number; sd: number }> = {
  temperature: { mean: 61, sd: 1.5 },
  vibration: { mean: 4.2, sd: 0.4 },
  pressure: { mean: 6.3, sd: 0.2 },
  voltage: { mean: 231, sd: 2.5 },
};
const TYPES = Object.keys(BASELINES) as SensorType[];

export class SensorWorkload {
  readonly counts: SensorWorkloadCounts = {
    batches: 0,
    readings: 0,
    fresh: 0,
    withoutId: 0,
    duplicates: 0,
    spikes: 0,
    invalid: 0,
  };
  private readonly rand: () => number;
  private readonly series: { equipmentId: string; sensorType: SensorType; n: number; offsetMs: number }[] =
    [];
  /** Readings of earlier batches (copies are re-sent from here). */
  private readonly earlier: ReadingInput[] = [];
  private next = 0;
  private readonly r: Required<SensorRatios>;

  constructor(
    private readonly tag: string,
    seed: number,
    equipment: readonly string[],
    ratios: SensorRatios = {},
  ) {
    this.rand = seededRandom(seed);
    this.r = {
      duplicates: ratios.duplicates ?? 0.1,
      withoutId: ratios.withoutId ?? 0.3,
      spikes: ratios.spikes ?? 0.02,
      invalid: ratios.invalid ?? 0.01,
    };
    equipment.forEach((equipmentId, e) => {
      // Two to four sensor types per piece of equipment.
      const types = TYPES.filter((_, t) => (t + e) % 4 !== 3 || e % 2 === 0);
      types.forEach((sensorType, t) => {
        this.series.push({ equipmentId, sensorType, n: 0, offsetMs: 137 * e + 29 * t });
      });
    });
  }

  private gauss(): number {
    // Box-Muller on the seeded stream.
    const u = Math.max(this.rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rand());
  }

  private fresh(): ReadingInput {
    const s = this.series[Math.floor(this.rand() * this.series.length)]!;
    const { mean, sd } = BASELINES[s.sensorType];
    // Spikes only past the warm-up of most series (earlier ones just enter the baseline).
    const spike = s.n > 40 && this.rand() < this.r.spikes;
    const deviation = spike ? (this.rand() < 0.5 ? -1 : 1) * (3.5 + this.rand() * 8.5) : this.gauss();
    if (spike) this.counts.spikes++;
    const value = Math.round((mean + deviation * sd) * 1000) / 1000;
    // One reading per second per series: id-less readings of one series never share an instant.
    const timestamp = new Date(DAY_START_MS + s.n++ * 1000 + s.offsetMs).toISOString();
    const reading: ReadingInput = { equipmentId: s.equipmentId, sensorType: s.sensorType, value, timestamp };
    if (this.rand() < this.r.withoutId) {
      this.counts.withoutId++;
      return reading;
    }
    return { readingId: `${this.tag}-r${++this.next}`, ...reading };
  }

  /** A batch of `size` readings; copies come from earlier batches or from this one. */
  batch(size: number): ReadingInput[] {
    const readings: ReadingInput[] = [];
    for (let i = 0; i < size; i++) {
      const r = this.rand();
      const pool =
        this.earlier.length > 0 && (readings.length === 0 || this.rand() < 0.7) ? this.earlier : readings;
      const original = pool[Math.floor(this.rand() * pool.length)];
      if (r < this.r.duplicates && original !== undefined && original.sensorType !== 'humidity') {
        const copy =
          original.readingId === undefined && this.rand() < 0.3
            ? { ...original, value: original.value + 1 } // same identity, other value: still a duplicate
            : { ...original };
        readings.push(copy);
        this.counts.duplicates++;
        continue;
      }
      if (r > 1 - this.r.invalid) {
        readings.push({ ...this.fresh(), sensorType: 'humidity' });
        this.counts.invalid++;
        continue;
      }
      readings.push(this.fresh());
      this.counts.fresh++;
    }
    for (const reading of readings) if (reading.sensorType !== 'humidity') this.earlier.push(reading);
    this.counts.batches++;
    this.counts.readings += readings.length;
    return readings;
  }

  /** One normal reading per series (the end-of-run barrier: a synchronous post of these settles every partition). */
  closingBatch(): ReadingInput[] {
    const readings = this.series.map((s) => {
      const { mean } = BASELINES[s.sensorType];
      const timestamp = new Date(DAY_START_MS + s.n++ * 1000 + s.offsetMs).toISOString();
      return {
        readingId: `${this.tag}-close-${s.equipmentId}-${s.sensorType}`,
        equipmentId: s.equipmentId,
        sensorType: s.sensorType,
        value: mean,
        timestamp,
      };
    });
    this.counts.batches++;
    this.counts.readings += readings.length;
    this.counts.fresh += readings.length;
    return readings;
  }
}
