import { type AlertRecord, SENSOR_WIRE_VERSION } from './alert.ts';
import { type Assessment, type DetectorConfig, observe } from './anomaly-detector.ts';
import type { SensorReading } from './reading.ts';
import { alertIdFor, readingKey, seriesKey } from './reading-identity.ts';
import { RollingWindow, WindowAssembly, type WindowSlots, type WindowSnapshot } from './rolling-window.ts';
import { type IdentityStore, SeenIdentities, type StateHorizon } from './seen-identities.ts';

/** A reading identity (`readingKey`) and its reading's timestamp, as a pack of them holds it. */
export type SeenIdentity = { key: string; readingTs: number };

/**
 * One entry of the processor's state changelog (compacted, co-partitioned with the readings).
 * Key `s␟equipmentId␟sensorType␟first`: `slots` is one run of that series' window (see
 * `WindowSlots`). Key `w␟equipmentId␟sensorType`: `window` is that series' whole window, as written
 * before the runs (still read; tombstoned once the series writes runs). Key `p␟` + a readingKey:
 * `identities` are the identities one drain saw first (the key is the first one's), written when
 * no state horizon is set. Any other key is one reading identity (`readingKey`) already processed:
 * `readingTs` the reading's timestamp (null in records written before the state horizon existed).
 */
export type SensorStateRecord = {
  v: number;
  window: WindowSnapshot | null;
  slots?: WindowSlots | null | undefined;
  readingTs?: number | null | undefined;
  identities?: SeenIdentity[] | null | undefined;
};
/** `value` null: a tombstone (an identity past the state horizon). */
export type SensorStateChange = { key: string; value: SensorStateRecord | null };

export type ReadingOutcome =
  | { kind: 'duplicate'; readingKey: string }
  | { kind: 'processed'; readingKey: string; assessment: Assessment; alert: AlertRecord | null };

const WINDOW_PREFIX = 'w\u001f';
const SLOTS_PREFIX = 's\u001f';
const PACK_PREFIX = 'p\u001f';
const SEPARATOR = '\u001f';

/**
 * Whether a changelog key is a reading identity's (written once, never superseded: the runner puts
 * these in the stream's write-once changelog) rather than a window's.
 */
export const isIdentityKey = (key: string) => !key.startsWith(SLOTS_PREFIX) && !key.startsWith(WINDOW_PREFIX);

/** The changelog key of one run of a window (`wKey` is the series' `WINDOW_PREFIX` key). */
const slotsKey = (wKey: string, first: number) =>
  `${SLOTS_PREFIX}${wKey.slice(WINDOW_PREFIX.length)}${SEPARATOR}${first}`;
/** The series' `WINDOW_PREFIX` key of a run's key. */
const windowKeyOfSlots = (key: string) =>
  WINDOW_PREFIX + key.slice(SLOTS_PREFIX.length, key.lastIndexOf(SEPARATOR));

/**
 * The stateful anomaly processor of one partition: dedupes readings by identity, keeps one rolling
 * window per (equipmentId, sensorType) and raises an alert per anomalous reading. Pure (no I/O):
 * the runner restores it from the changelog, feeds it the partition's readings in log order and
 * writes `drainChanges()` to the changelog in the same transaction as the alerts and the offsets.
 */
export class SensorProcessor {
  private readonly windows = new Map<string, RollingWindow>();
  /** Series restored from runs, put together at their first use (a restore has no end signal). */
  private readonly assemblies = new Map<string, WindowAssembly>();
  /** Series whose whole-window record (`w␟`) is still in the changelog: tombstoned at their next write. */
  private readonly wholeWindowKeys = new Set<string>();
  /** Series whose runs could not be put together since the last drain (they start over). */
  private unrestorable: { series: string; reason: string }[] = [];
  private readonly seen: SeenIdentities;
  private readonly dirtyWindows = new Set<string>();
  private newlySeen: SeenIdentity[] = [];

  /**
   * `horizon`: bounded seen-identity state (see SeenIdentities); undefined keeps every identity.
   * `identities`: where they are kept (empty; a JS Map unless given, see IdentityStore).
   */
  constructor(
    private readonly config: DetectorConfig,
    horizon?: StateHorizon,
    identities?: IdentityStore,
  ) {
    this.seen = new SeenIdentities(horizon, undefined, identities);
  }

  /** Applies one changelog entry (restore before processing anything). */
  restore(change: SensorStateChange): void {
    const { key, value } = change;
    if (key.startsWith(SLOTS_PREFIX)) {
      // A tombstone of a run is never written; the runs of a series only ever get newer.
      const slots = value?.slots ?? null;
      if (slots === null) return;
      const wKey = windowKeyOfSlots(key);
      let assembly = this.assemblies.get(wKey);
      if (assembly === undefined) {
        assembly = new WindowAssembly();
        this.assemblies.set(wKey, assembly);
      }
      assembly.add(slots);
    } else if (key.startsWith(WINDOW_PREFIX)) {
      const snapshot = value?.window ?? null;
      if (snapshot === null) {
        this.windows.delete(key);
        this.wholeWindowKeys.delete(key);
      } else {
        this.windows.set(key, RollingWindow.fromSnapshotRelaidOut(this.config.windowSize, snapshot));
        this.wholeWindowKeys.add(key);
      }
    } else if (key.startsWith(PACK_PREFIX)) {
      // A pack is never tombstoned (written only without a horizon, where nothing leaves).
      for (const { key: id, readingTs } of value?.identities ?? []) this.seen.add(id, readingTs);
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
    let window = this.windowAt(wKey);
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
   * The state changed since the last drain, as changelog entries: one per window run, and the new
   * ids, all in one pack without a horizon; with one, an entry per new id (so its tombstone can
   * reclaim it) and the sweep's (a tombstone per dropped id, a timestamp for an old unstamped one).
   */
  drainChanges(): SensorStateChange[] {
    const swept = this.seen.sweep();
    const seenRecord = (readingTs: number) => stateRecord({ readingTs });
    const changes: SensorStateChange[] = [
      ...(this.seen.bounded
        ? this.newlySeen.map(({ key, readingTs }) => ({ key, value: seenRecord(readingTs) }))
        : packOf(this.newlySeen)),
      ...swept.stamped.map(({ key, readingTs }) => ({ key, value: seenRecord(readingTs) })),
      // Last: an id seen and dropped in the same batch stays dropped after a restore too.
      ...swept.evicted.map((key) => ({ key, value: null })),
    ];
    for (const key of this.dirtyWindows) {
      const window = this.windows.get(key);
      if (window === undefined) continue;
      // The whole-window record goes in the same transaction as the runs that replace it.
      if (this.wholeWindowKeys.delete(key)) changes.push({ key, value: null });
      for (const slots of window.drainSlots())
        changes.push({
          key: slotsKey(key, slots.first),
          value: stateRecord({ slots }),
        });
    }
    this.newlySeen = [];
    this.dirtyWindows.clear();
    this.seen.flush();
    return changes;
  }

  /**
   * Series whose changelog runs could not be put together since the last call (a changelog damaged
   * outside Shopfloor): each started over with an empty window. For the log.
   */
  drainUnrestorableWindows(): { series: string; reason: string }[] {
    const out = this.unrestorable;
    this.unrestorable = [];
    return out;
  }

  /** Reading identities held (what the horizon bounds). */
  get seenIdentities(): number {
    return this.seen.size;
  }

  /** The baseline statistics of one series, or undefined before its first reading. */
  windowOf(equipmentId: string, sensorType: SensorReading['sensorType']): RollingWindow | undefined {
    return this.windowAt(WINDOW_PREFIX + seriesKey(equipmentId, sensorType));
  }

  /** The series' window, its runs put together first if it was restored from them. */
  private windowAt(wKey: string): RollingWindow | undefined {
    // Empty once every restored series was used: the common case costs no lookup per reading.
    const assembly = this.assemblies.size === 0 ? undefined : this.assemblies.get(wKey);
    if (assembly !== undefined) {
      this.assemblies.delete(wKey);
      const built = assembly.build(this.config.windowSize);
      // Runs are newer than a whole-window record of the same series (written only before them).
      if (built.ok) this.windows.set(wKey, built.window);
      else {
        // Starts over (warming up again) with its records numbered above the damaged ones.
        this.unrestorable.push({ series: wKey.slice(WINDOW_PREFIX.length), reason: built.reason });
        this.windows.set(wKey, RollingWindow.startingAfter(this.config.windowSize, built.pushes));
      }
    }
    return this.windows.get(wKey);
  }
}

/**
 * New identities as one changelog entry instead of one each: without a horizon none of them is
 * ever tombstoned, so nothing needs its own key, and kafkajs and the broker handle one record
 * where they handled one per accepted reading (~60 % of the processor's records at the alert rate).
 */
function packOf(identities: SeenIdentity[]): SensorStateChange[] {
  const first = identities[0];
  if (first === undefined) return [];
  return [
    {
      key: PACK_PREFIX + first.key,
      value: stateRecord({ identities }),
    },
  ];
}

/** A changelog record holding one kind of entry: every other field null, as the Avro record has it. */
function stateRecord(
  entry: Pick<SensorStateRecord, 'slots' | 'readingTs' | 'identities'>,
): SensorStateRecord {
  return { v: SENSOR_WIRE_VERSION, window: null, slots: null, readingTs: null, identities: null, ...entry };
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
