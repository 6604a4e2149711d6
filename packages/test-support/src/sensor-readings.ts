/** What the sensor webhook takes for one reading (`POST /api/webhook/sensor-data`). */
export interface PostedReading {
  readingId: string;
  equipmentId: string;
  sensorType: string;
  value: number;
  unit?: string;
  timestamp: string;
}

/**
 * The readings of one piece of equipment for tests: `reading(i, value)` is reading `i` (id
 * `<equipmentId>-<i>`), taken `i` seconds after `t0`; `baseline(n)` is `n` of them alternating 4.0
 * and 4.4 (a vibration baseline a later 5.3 stands out of as CRITICAL).
 */
export function sensorReadingsOf(
  equipmentId: string,
  options: { sensorType?: string; unit?: string; t0?: number } = {},
): { reading(i: number, value: number): PostedReading; baseline(n: number): PostedReading[] } {
  const t0 = options.t0 ?? Date.parse('2026-03-01T10:00:00Z');
  const reading = (i: number, value: number): PostedReading => ({
    readingId: `${equipmentId}-${i}`,
    equipmentId,
    sensorType: options.sensorType ?? 'vibration',
    value,
    ...(options.unit === undefined ? {} : { unit: options.unit }),
    timestamp: new Date(t0 + i * 1_000).toISOString(),
  });
  return {
    reading,
    baseline: (n) => Array.from({ length: n }, (_, i) => reading(i, i % 2 ? 4.4 : 4.0)),
  };
}
