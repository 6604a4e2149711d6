/** What a sensor processor member has committed since it started (for logs and /metrics). */
export type SensorCounters = {
  batches: number;
  processed: number;
  duplicates: number;
  undecodable: number;
  alerts: number;
  restores: number;
};

export function createSensorCounters(): SensorCounters {
  return { batches: 0, processed: 0, duplicates: 0, undecodable: 0, alerts: 0, restores: 0 };
}
