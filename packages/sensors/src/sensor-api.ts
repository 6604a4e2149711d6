import { z } from 'zod';
import { EQUIPMENT_STATUSES } from './alert.ts';
import { SEVERITIES } from './anomaly-detector.ts';
import { SENSOR_TYPES } from './reading.ts';

// The answers of the sensor stream's read API (`/api/equipment…`, `/api/alerts…`, `/api/metrics…`,
// `/api/sensors/types`): one definition that validates, types and documents them (OpenAPI). The
// events' answers live in @shopfloor/contracts; these need the sensor types, severities and
// statuses, which are this package's. Instants are ISO-8601 UTC strings.

const instant = z.string().describe('ISO-8601 instant (UTC)');

/**
 * The buckets of `GET /api/equipment/:id/sensor-history`: whole minutes, each dividing a day, so a
 * bucket starts on a multiple of its size since midnight UTC.
 */
export const SENSOR_HISTORY_BUCKETS = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '6h': 360,
  '1d': 1440,
} as const;
export type SensorHistoryBucketName = keyof typeof SENSOR_HISTORY_BUCKETS;
export const SENSOR_HISTORY_BUCKET_NAMES = Object.keys(SENSOR_HISTORY_BUCKETS) as SensorHistoryBucketName[];

/** The first of an alert's resolutions (several operators may resolve one alert; the first wins). */
export const alertResolutionSchema = z.object({
  resolvedBy: z.string(),
  note: z.string().nullable(),
  resolvedAt: instant,
});

/** One alert as the API answers it. */
export const sensorAlertSchema = z.object({
  alertId: z.string(),
  equipmentId: z.string(),
  sensorType: z.enum(SENSOR_TYPES),
  severity: z.enum(SEVERITIES),
  status: z.enum(['OPEN', 'RESOLVED']),
  value: z.number(),
  unit: z.string(),
  /** null when the baseline had zero stddev (any departure from the constant is CRITICAL). */
  zScore: z.number().nullable(),
  mean: z.number(),
  stddev: z.number(),
  baselineCount: z.int().min(0),
  readingId: z.string().nullable(),
  /** The reading's own timestamp (the device's clock). */
  readingTimestamp: instant,
  /** When the gateway received the reading that raised it: the order of the alert lists. */
  raisedAt: instant,
  resolution: alertResolutionSchema.nullable(),
});
export type SensorAlertAnswer = z.output<typeof sensorAlertSchema>;

/** `GET /api/alerts/history`: a page, and the cursor of the next one (null on the last page). */
export const alertHistoryResponseSchema = z.object({
  alerts: z.array(sensorAlertSchema),
  nextCursor: z.string().nullable(),
});

const openAlertCountsSchema = z.object({
  LOW: z.int().min(0),
  MEDIUM: z.int().min(0),
  CRITICAL: z.int().min(0),
});
export type OpenAlertCounts = z.output<typeof openAlertCountsSchema>;

/** One piece of equipment of `GET /api/equipment`. */
export const equipmentSummarySchema = z.object({
  equipmentId: z.string(),
  status: z.enum(EQUIPMENT_STATUSES),
  sensorTypes: z.array(z.enum(SENSOR_TYPES)),
  /** When its first reading was received: equipment is registered by its first reading. */
  registeredAt: instant,
  /** When its latest reading was received (the gateway's clock). */
  lastSeen: instant,
  /** The latest reading timestamp (the device's clock). */
  lastReadingAt: instant,
  readingsCount: z.int().min(0),
  openAlertCounts: openAlertCountsSchema,
});
export type EquipmentSummary = z.output<typeof equipmentSummarySchema>;

/** The latest reading of one sensor of `GET /api/equipment/:id/status`. */
export const latestSensorReadingSchema = z.object({
  sensorType: z.enum(SENSOR_TYPES),
  value: z.number(),
  unit: z.string(),
  timestamp: instant,
  assessment: z.enum(['warming-up', 'normal', 'anomaly']),
  zScore: z.number().nullable(),
  readingsCount: z.int().min(0),
  lastSeen: instant,
});

/** `GET /api/equipment/:id/status`: the summary, the latest value per sensor, the newest open alerts. */
export const equipmentStatusResponseSchema = equipmentSummarySchema.extend({
  sensors: z.array(latestSensorReadingSchema),
  /** The newest open alerts (at most 100; `openAlertCounts` counts all of them). */
  openAlerts: z.array(sensorAlertSchema),
});
export type EquipmentStatusResponse = z.output<typeof equipmentStatusResponseSchema>;

const historyBucketSchema = z.object({
  start: instant,
  count: z.int().min(0),
  min: z.number(),
  avg: z.number(),
  max: z.number(),
  anomalies: z.int().min(0),
});

/** `GET /api/equipment/:id/sensor-history`: buckets with readings only, oldest first. */
export const sensorHistoryResponseSchema = z.object({
  equipmentId: z.string(),
  sensorType: z.enum(SENSOR_TYPES),
  bucket: z.enum(SENSOR_HISTORY_BUCKET_NAMES),
  /** The window counted: from and to floored to whole minutes (the rollups' grain), to exclusive. */
  from: instant,
  to: instant,
  buckets: z.array(historyBucketSchema),
});

const productionEquipmentSchema = z.object({
  equipmentId: z.string(),
  readings: z.int().min(0),
  anomalies: z.int().min(0),
  anomalyRate: z.number().min(0).max(1),
  minutesWithReadings: z.int().min(0),
  /** minutesWithReadings / the window's minutes: how much of the window the equipment reported. */
  minutesWithReadingsShare: z.number().min(0).max(1),
});

/** `GET /api/metrics/production`. */
export const productionMetricsResponseSchema = z.object({
  from: instant,
  to: instant,
  windowMinutes: z.int().min(0),
  readings: z.int().min(0),
  anomalies: z.int().min(0),
  /** anomalies / readings (0 without readings). */
  anomalyRate: z.number().min(0).max(1),
  /** readings / the window's hours (0 for an empty window). */
  readingsPerHour: z.number().min(0),
  /** Every hour the window touches, oldest first, zeros included. */
  hours: z.array(z.object({ hour: instant, readings: z.int().min(0), anomalies: z.int().min(0) })),
  equipment: z.array(productionEquipmentSchema),
});
export type ProductionMetricsResponse = z.output<typeof productionMetricsResponseSchema>;

/** `GET /api/sensors/types`: every type a reading may carry, with what the store has seen of it. */
export const sensorTypesResponseSchema = z.array(
  z.object({
    sensorType: z.enum(SENSOR_TYPES),
    defaultUnit: z.string(),
    equipmentCount: z.int().min(0),
    readingsCount: z.int().min(0),
  }),
);
