/** What a sensor processor member has committed since it started (for logs and /metrics). */
export type SensorCounters = {
  batches: number;
  processed: number;
  duplicates: number;
  undecodable: number;
  alerts: number;
  /** Changelog records written (a seen reading identity each, plus the window runs each series changed in a transaction). */
  stateRecords: number;
  /** Of which window records (`WindowSlots`: a run of the ring and the window's header). */
  windowRecords: number;
  /** Bytes of the changelog records written (keys and values). */
  stateBytes: number;
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
    windowRecords: 0,
    stateBytes: 0,
    restores: 0,
  };
}
