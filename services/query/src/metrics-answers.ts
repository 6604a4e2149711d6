import type {
  SensorHistoryBucket,
  SensorProductionEquipment,
  SensorProductionHour,
  SensorTypeTotals,
} from '@shopfloor/clickhouse';
import { floorTo, formatInstant, MS_PER_HOUR } from '@shopfloor/contracts';
import { DEFAULT_UNITS, type ProductionMetricsResponse, SENSOR_TYPES } from '@shopfloor/sensors';

const MS_PER_MINUTE = 60_000;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** The window the minute rollups count for [fromMs, toMs): both ends floored to whole minutes. */
export function minuteWindow(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return { fromMs: floorTo(fromMs, MS_PER_MINUTE), toMs: floorTo(toMs, MS_PER_MINUTE) };
}

/**
 * `GET /api/metrics/production` from the hourly and per-equipment rollup answers: every hour the
 * window touches (zeros where nothing was read), rates against the window's whole minutes.
 */
export function productionMetrics(
  window: { fromMs: number; toMs: number },
  hours: readonly SensorProductionHour[],
  equipment: readonly SensorProductionEquipment[],
): ProductionMetricsResponse {
  const { fromMs, toMs } = minuteWindow(window.fromMs, window.toMs);
  const windowMinutes = (toMs - fromMs) / MS_PER_MINUTE;
  const byHour = new Map(hours.map((h) => [h.hourMs, h]));
  const hourList: ProductionMetricsResponse['hours'] = [];
  for (let hourMs = floorTo(fromMs, MS_PER_HOUR); hourMs < toMs; hourMs += MS_PER_HOUR) {
    const h = byHour.get(hourMs);
    hourList.push({ hour: formatInstant(hourMs), readings: h?.readings ?? 0, anomalies: h?.anomalies ?? 0 });
  }
  const readings = hours.reduce((n, h) => n + h.readings, 0);
  const anomalies = hours.reduce((n, h) => n + h.anomalies, 0);
  return {
    from: formatInstant(fromMs),
    to: formatInstant(toMs),
    windowMinutes,
    readings,
    anomalies,
    anomalyRate: rate(anomalies, readings),
    readingsPerHour: rate(readings, windowMinutes / 60),
    hours: hourList,
    equipment: equipment.map((e) => ({
      equipmentId: e.equipmentId,
      readings: e.readings,
      anomalies: e.anomalies,
      anomalyRate: rate(e.anomalies, e.readings),
      minutesWithReadings: e.minutesWithReadings,
      minutesWithReadingsShare: rate(e.minutesWithReadings, windowMinutes),
    })),
  };
}

/** Every sensor type a reading may carry, with its default unit and what the store has seen of it. */
export function sensorTypesAnswer(totals: readonly SensorTypeTotals[]) {
  const byType = new Map(totals.map((t) => [t.sensorType, t]));
  return SENSOR_TYPES.map((sensorType) => ({
    sensorType,
    defaultUnit: DEFAULT_UNITS[sensorType],
    equipmentCount: byType.get(sensorType)?.equipmentCount ?? 0,
    readingsCount: byType.get(sensorType)?.readingsCount ?? 0,
  }));
}

/** A rollup bucket as the API answers it (`bucket` is its start, already an ISO string). */
export function historyBucket(b: SensorHistoryBucket) {
  return {
    start: formatInstant(Date.parse(b.bucket)),
    count: b.count,
    min: b.min,
    avg: b.avg,
    max: b.max,
    anomalies: b.anomalies,
  };
}
