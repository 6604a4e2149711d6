/** What a sensor processor member has committed since it started (for logs and /metrics). */
export type SensorCounters = {
  batches: number;
  processed: number;
  duplicates: number;
  undecodable: number;
  alerts: number;
  /** Changelog records written (a seen reading identity each, plus one window snapshot per series and transaction). */
  stateRecords: number;
  /** Of which window snapshots (the bulk of the bytes: every value of the window). */
  windowSnapshots: number;
  restores: number;
};

export function createSensorCounters(): SensorCounters {
  return {
    batches: 0,
    processed: 0,
    duplicates: 0,
    undecodable: 0,
    alerts: 0,
    stateRecords: 0,
    windowSnapshots: 0,
    restores: 0,
  };
}
