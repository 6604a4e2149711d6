import { z } from 'zod';
import { windowHours } from './window.ts';

/** Average defects per hour at or above which a machine is in `Warning`. */
export const WARNING_DEFECT_RATE = 2.0;

export const MACHINE_HEALTH = ['Healthy', 'Warning'] as const;
export type MachineHealth = (typeof MACHINE_HEALTH)[number];

/** `Healthy` below 2.0 defects per hour, else `Warning` (exactly 2.0 is `Warning`; NaN is `Warning`). */
export function machineHealth(avgDefectRate: number): MachineHealth {
  return avgDefectRate < WARNING_DEFECT_RATE ? 'Healthy' : 'Warning';
}

/**
 * Defects per hour of window: `defects / ((end − start) / 1 h)`, unrounded. An empty or inverted
 * window (end ≤ start) holds no events and gives 0.
 */
export function avgDefectRate(defects: number, startMs: number, endMs: number): number {
  if (endMs <= startMs) return 0;
  return defects / windowHours(startMs, endMs);
}

/** What one event adds to defect totals: its defectCount, except that -1 (unknown) adds nothing. */
export function defectContribution(defectCount: number): number {
  return Math.max(defectCount, 0);
}

function toNonNegativeBigInt(name: string, v: number | bigint): bigint {
  if (typeof v === 'bigint' ? v < 0n : !Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  return BigInt(v);
}

/**
 * `totalDefects × 100 / eventCount`, rounded half-up to 2 decimals, in exact integer arithmetic (so
 * 1/8 → 12.5 and 1/3 → 33.33 with no binary float error); 0 when there are no events. The result is
 * the double nearest to the 2-decimal value. Accepts bigint because ClickHouse UInt64 sums may be.
 */
export function defectsPercent(totalDefects: number | bigint, eventCount: number | bigint): number {
  const d = toNonNegativeBigInt('totalDefects', totalDefects);
  const n = toNonNegativeBigInt('eventCount', eventCount);
  if (n === 0n) return 0;
  // hundredths = round_half_up(d × 10000 / n) = floor((2 × d × 10000 + n) / (2n))
  const hundredths = (d * 20_000n + n) / (2n * n);
  return Number(`${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`);
}

/** `GET /stats` response. `start` and `end` echo the window as canonical ISO-8601 instants. */
export const machineStatsResponseSchema = z.object({
  machineId: z.string(),
  start: z.string(),
  end: z.string(),
  eventsCount: z.int().min(0),
  defectsCount: z.int().min(0),
  avgDefectRate: z.number(),
  status: z.enum(MACHINE_HEALTH),
});
export type MachineStatsResponse = {
  machineId: string;
  start: string;
  end: string;
  eventsCount: number;
  defectsCount: number;
  avgDefectRate: number;
  status: MachineHealth;
};

/** Builds the `GET /stats` answer from counted events and defects (defects already exclude -1). */
export function machineStats(input: {
  machineId: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  eventsCount: number;
  defectsCount: number;
}): MachineStatsResponse {
  const rate = avgDefectRate(input.defectsCount, input.startMs, input.endMs);
  return {
    machineId: input.machineId,
    start: input.start,
    end: input.end,
    eventsCount: input.eventsCount,
    defectsCount: input.defectsCount,
    avgDefectRate: rate,
    status: machineHealth(rate),
  };
}

/** One row of `GET /stats/top-defect-lines`. */
export const topDefectLineSchema = z.object({
  lineId: z.string(),
  totalDefects: z.int().min(0),
  eventCount: z.int().min(0),
  defectsPercent: z.number().min(0),
});
export type TopDefectLine = {
  lineId: string;
  totalDefects: number;
  eventCount: number;
  defectsPercent: number;
};

/** A top-defect-lines row with its `defectsPercent` computed. */
export function topDefectLine(lineId: string, totalDefects: number, eventCount: number): TopDefectLine {
  return { lineId, totalDefects, eventCount, defectsPercent: defectsPercent(totalDefects, eventCount) };
}

/**
 * Most defects first; ties by lineId ascending in JS string order (UTF-16 code units, not locale, so
 * the order is the same on every machine). Returns a new array.
 */
export function sortTopDefectLines<T extends { lineId: string; totalDefects: number }>(
  lines: readonly T[],
): T[] {
  return [...lines].sort((a, b) => {
    if (a.totalDefects !== b.totalDefects) return b.totalDefects - a.totalDefects;
    if (a.lineId === b.lineId) return 0;
    return a.lineId < b.lineId ? -1 : 1;
  });
}
