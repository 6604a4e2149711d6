import { seededRandom } from '@shopfloor/contracts/testing';

const TYPES = ['temperature', 'vibration', 'pressure', 'voltage'] as const;
const BASE: Record<(typeof TYPES)[number], number> = {
  temperature: 60,
  vibration: 4,
  pressure: 30,
  voltage: 230,
};

/**
 * The equipment one scenario writes to (its own ids, so its readings are its alone) and the clock of
 * its readings. Values are the sensor's base ±1, uniform: |z| stays below √3, so normal load raises
 * no alert and every alert of the run is an injected spike.
 */
export type SensorFleet = {
  tag: string;
  equipment: string[];
  /** Reading timestamps start here (in the past: never FUTURE_TIMESTAMP) and advance 1 ms a reading. */
  baseMs: number;
  random: () => number;
};

export function sensorFleet(tag: string, equipment: number, seed = 12): SensorFleet {
  return {
    tag,
    equipment: Array.from({ length: equipment }, (_, i) => `${tag}-E${i}`),
    baseMs: Date.now() - 2 * 3_600_000,
    random: seededRandom(seed),
  };
}

/** One reading's JSON, built as a string (the load generator must cost little). No readingId: identity is (equipment, type, timestamp). */
function readingJson(f: SensorFleet, k: number, equipmentIndex: number, type: number, delta: number): string {
  const sensorType = TYPES[type]!;
  const value = BASE[sensorType] + delta;
  return (
    `{"equipmentId":"${f.equipment[equipmentIndex]}","sensorType":"${sensorType}",` +
    `"value":${value.toFixed(3)},"timestamp":"${new Date(f.baseMs + k).toISOString()}"}`
  );
}

/**
 * `{"readings": [...]}` of `n` new normal readings numbered from `first` (unique timestamps, so
 * none is a duplicate), spread round-robin over the fleet's equipment and the four sensor types.
 */
export function readingsBody(f: SensorFleet, first: number, n: number): string {
  const parts: string[] = new Array(n);
  const keys = f.equipment.length * TYPES.length;
  for (let i = 0; i < n; i++) {
    const k = first + i;
    const key = k % keys;
    parts[i] = readingJson(f, k, key >> 2, key & 3, (f.random() - 0.5) * 2);
  }
  return `{"readings":[${parts.join(',')}]}`;
}

/** `n` normal temperature readings of every piece of equipment of the fleet (fills the baselines past the minimum window). */
export function baselineBody(
  f: SensorFleet,
  first: number,
  n: number,
  from = 0,
  to = f.equipment.length,
): string {
  const parts: string[] = [];
  for (let e = from; e < to; e++) {
    for (let i = 0; i < n; i++) {
      parts.push(readingJson(f, first + e * n + i, e, 0, (f.random() - 0.5) * 2));
    }
  }
  return `{"readings":[${parts.join(',')}]}`;
}

/** One temperature reading 100 above its base: z ≈ 170 against a ±1 uniform baseline, a CRITICAL alert. */
export function spikeBody(f: SensorFleet, equipmentIndex: number, k: number): string {
  return `{"readings":[${readingJson(f, k, equipmentIndex, 0, 100)}]}`;
}
