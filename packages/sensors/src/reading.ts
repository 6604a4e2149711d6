/** The sensor kinds a reading may carry; any other `sensorType` is rejected. */
export const SENSOR_TYPES = ['temperature', 'vibration', 'pressure', 'voltage'] as const;
export type SensorType = (typeof SENSOR_TYPES)[number];

/** The unit assumed when a reading names none (documented by `GET /api/sensors/types`). */
export const DEFAULT_UNITS: Record<SensorType, string> = {
  temperature: 'celsius',
  vibration: 'mm/s',
  pressure: 'bar',
  voltage: 'volt',
};

/** Longest `unit` accepted, in Unicode code points. */
export const MAX_UNIT_CODE_POINTS = 32;

export function isSensorType(s: string): s is SensorType {
  return (SENSOR_TYPES as readonly string[]).includes(s);
}

/**
 * One sensor reading as a device sent it, after validation. `timestamp` is the string as received
 * (the log keeps what was sent); its instant is `timestampMs`. `readingId` is null when the device
 * sent none: its identity is then (equipmentId, sensorType, timestampMs), see `readingKey`.
 */
export type SensorReading = {
  readingId: string | null;
  equipmentId: string;
  sensorType: SensorType;
  value: number;
  unit: string;
  timestamp: string;
  timestampMs: number;
};
