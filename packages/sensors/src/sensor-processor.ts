import { type AlertRecord, SENSOR_WIRE_VERSION } from './alert.ts';
import { type Assessment, type DetectorConfig, observe } from './anomaly-detector.ts';
import type { SensorReading } from './reading.ts';
import { alertIdFor, readingKey, seriesKey } from './reading-identity.ts';
import { RollingWindow, type WindowSnapshot } from './rolling-window.ts';
import { SeenIdentities, type StateHorizon } from './seen-identities.ts';

/**
 * One entry of the processor's state changelog (compacted, co-partitioned with the readings).
 * Key `w␟equipmentId␟sensorType`: `window` is that series' baseline. Any other key is a reading
 * identity (`readingKey`) already processed: `window` is null, `readingTs` the reading's timestamp
 * (null in records written before the state horizon existed).
 */
export type SensorStateRecord = {
  v: number;
  window: WindowSnapshot | null;
  readingTs?: number | null | undefined;
};
/** `value` null: a tombstone (an identity past the state horizon). */
export type SensorStateChange = { key: string; value: SensorStateRecord | null };

export type ReadingOutcome =
  | { kind: 'duplicate'; readingKey: string }
  | { kind: 'processed'; readingKey: string; assessment: Assessment; alert: AlertRecord | null };

const WINDOW_PREFIX = 'w\u001f';

/**
 * The stateful anomaly processor of one partition: dedupes readings by identity, keeps one rolling
 * window per (equipmentId, sensorType) and raises an alert per anomalous reading. Pure (no I/O):
 * the runner restores it from the changelog, feeds it the partition's readings in log order and
 * writes `drainChanges()` to the changelog in the same transaction as the alerts and the offsets.
 */
export class SensorProcessor {
  private readonly windows = new Map<string, RollingWindow>();
  private readonly seen: SeenIdentities;
  private readonly dirtyWindows = new Set<string>();
  private newlySeen: { key: string; readingTs: number }[] = [];

  /** `horizon`: bounded seen-identity state (see SeenIdentities); undefined keeps every identity. */
  constructor(
    private readonly config: DetectorConfig,
    horizon?: StateHorizon,
  ) {
    this.seen = new SeenIdentities(horizon);
  }

  /** Applies one changelog entry (restore before processing anything). */
  restore(change: SensorStateChange): void {
    const { key, value } = change;
    if (key.startsWith(WINDOW_PREFIX)) {
      const snapshot = value?.window ?? null;
      if (snapshot === null) this.windows.delete(key);
      else this.windows.set(key, RollingWindow.fromSnapshot(this.config.windowSize, snapshot));
    } else if (value === null) {
      this.seen.delete(key);
    } else {
      this.seen.add(key, value.readingTs ?? null);
    }
  }

  process(reading: SensorReading, receivedAt: number): ReadingOutcome {
    const key = readingKey(reading);
    this.seen.observe(receivedAt);
    if (this.seen.has(key)) return { kind: 'duplicate', readingKey: key };
    // Past the state horizon its identity may have been dropped: never taken for a new reading. The
    // webhook rejects these (STALE_TIMESTAMP) with the same rule, so only a webhook running without
    // the horizon lets one through; it counts as deduped.
    if (this.seen.undecidable(reading.timestampMs, receivedAt)) return { kind: 'duplicate', readingKey: key };
    this.seen.add(key, reading.timestampMs);
    this.newlySeen.push({ key, readingTs: reading.timestampMs });
    const wKey = WINDOW_PREFIX + seriesKey(reading.equipmentId, reading.sensorType);
    let window = this.windows.get(wKey);
    if (window === undefined) {
      window = new RollingWindow(this.config.windowSize);
      this.windows.set(wKey, window);
    }
    const assessment = observe(window, reading.value, this.config);
    if (assessment.kind === 'anomaly') {
      return {
        kind: 'processed',
        readingKey: key,
        assessment,
        alert: alertOf(reading, key, receivedAt, assessment, this.config),
      };
    }
    this.dirtyWindows.add(wKey);
    return { kind: 'processed', readingKey: key, assessment, alert: null };
  }

  /**
   * The state changed since the last drain, as changelog entries (one per window, one per new id,
   * and the horizon sweep's: a tombstone per dropped id, a timestamp for an old unstamped one).
   */
  drainChanges(): SensorStateChange[] {
    const swept = this.seen.sweep();
    const seenRecord = (readingTs: number) => ({ v: SENSOR_WIRE_VERSION, window: null, readingTs });
    const changes: SensorStateChange[] = [
      ...this.newlySeen.map(({ key, readingTs }) => ({ key, value: seenRecord(readingTs) })),
      ...swept.stamped.map(({ key, readingTs }) => ({ key, value: seenRecord(readingTs) })),
      // Last: an id seen and dropped in the same batch stays dropped after a restore too.
      ...swept.evicted.map((key) => ({ key, value: null })),
    ];
    for (const key of this.dirtyWindows) {
      const window = this.windows.get(key);
      if (window !== undefined)
        changes.push({ key, value: { v: SENSOR_WIRE_VERSION, window: window.snapshot(), readingTs: null } });
    }
    this.newlySeen = [];
    this.dirtyWindows.clear();
    return changes;
  }

  /** Reading identities held (what the horizon bounds). */
  get seenIdentities(): number {
    return this.seen.size;
  }

  /** The baseline statistics of one series, or undefined before its first reading. */
  windowOf(equipmentId: string, sensorType: SensorReading['sensorType']): RollingWindow | undefined {
    return this.windows.get(WINDOW_PREFIX + seriesKey(equipmentId, sensorType));
  }
}

function alertOf(
  reading: SensorReading,
  key: string,
  receivedAt: number,
  assessment: Extract<Assessment, { kind: 'anomaly' }>,
  config: DetectorConfig,
): AlertRecord {
  return {
    v: SENSOR_WIRE_VERSION,
    alertId: alertIdFor(key),
    readingKey: key,
    readingId: reading.readingId,
    equipmentId: reading.equipmentId,
    sensorType: reading.sensorType,
    value: reading.value,
    unit: reading.unit,
    timestamp: reading.timestamp,
    timestampMs: reading.timestampMs,
    receivedAt,
    severity: assessment.severity,
    zScore: assessment.zScore,
    mean: assessment.stats.mean,
    stddev: assessment.stats.stddev,
    baselineCount: assessment.stats.count,
    thresholdSigma: config.thresholdSigma,
  };
}
