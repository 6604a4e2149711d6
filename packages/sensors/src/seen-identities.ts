import { MAX_FUTURE_SKEW_MS } from '@shopfloor/contracts';

/** How long a reading identity is remembered (SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS) and how often it is swept. */
export type StateHorizon = { horizonMs: number; sweepIntervalMs: number };

/**
 * The one rule of the horizon, shared by the webhook (which rejects such a reading as
 * `STALE_TIMESTAMP`) and the processor: a reading whose timestamp is more than `horizonMs` before
 * the time the gateway received it. Its identity may have left the state, so it cannot be decided.
 */
export function pastHorizon(timestampMs: number, receivedAtMs: number, horizonMs: number): boolean {
  return timestampMs < receivedAtMs - horizonMs;
}

/** At most this many identities leave (or are stamped) per sweep, so no transaction gets huge. */
export const MAX_SWEPT_PER_BATCH = 5_000;

/** What a sweep changed: identities dropped (tombstones) and old entries given a timestamp. */
export type SweepChanges = { evicted: string[]; stamped: { key: string; readingTs: number }[] };

/**
 * Where one partition's seen identities are kept (identity -> the reading's timestamp, null for an
 * identity restored from a record written before the horizon existed). Writes may be buffered
 * until `flush()`; reads see them at once. The state is a cache of the changelog (cleared and
 * rebuilt on every restore), so a store never needs to be durable.
 */
export interface IdentityStore {
  /** Identities held (buffered writes included). */
  readonly size: number;
  has(key: string): boolean;
  set(key: string, readingTs: number | null): void;
  delete(key: string): void;
  /** Every identity (after a `flush()`); setting or deleting the entry being visited is allowed. */
  entries(): Iterable<[string, number | null]>;
  /** Writes what is buffered (once per batch, and before `entries()`). */
  flush(): void;
  /** Forgets every identity (a restore starts from nothing). */
  clear(): void;
}

/**
 * Identities in a JS Map: insertion order is roughly timestamp order. Every identity costs ~160 B
 * of V8 heap and is marked by every full GC, so a process that keeps millions of them (10 000
 * readings/s without a horizon) grows its heap until it fails: the sensor service keeps them off
 * the heap instead (services/sensors, `lmdbIdentityStores`); this one is for tests and tools.
 */
export class MapIdentityStore implements IdentityStore {
  private readonly ids = new Map<string, number | null>();

  get size(): number {
    return this.ids.size;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  set(key: string, readingTs: number | null): void {
    this.ids.set(key, readingTs);
  }

  delete(key: string): void {
    this.ids.delete(key);
  }

  entries(): Iterable<[string, number | null]> {
    return this.ids;
  }

  flush(): void {}

  clear(): void {
    this.ids.clear();
  }
}

/**
 * The reading identities a partition's processor has seen, each with its reading's timestamp. With
 * a horizon, an identity leaves once its timestamp is older than the partition's latest receivedAt
 * (the watermark, from the log, not the wall clock) minus the horizon minus the clock skew allowed
 * between gateways (MAX_FUTURE_SKEW_MS): a copy of it received later is then past the horizon
 * itself, so the webhook rejects it, and the processor never takes it for a new reading.
 */
export class SeenIdentities {
  // null = restored from a record written before the horizon existed, stamped with the watermark
  // by the next sweep (kept one horizon from then).
  private watermark = Number.NEGATIVE_INFINITY;
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly horizon: StateHorizon | undefined,
    private readonly maxPerSweep = MAX_SWEPT_PER_BATCH,
    private readonly ids: IdentityStore = new MapIdentityStore(),
  ) {}

  get size(): number {
    return this.ids.size;
  }

  /** Whether identities ever leave (a horizon is set): then each needs its own changelog key. */
  get bounded(): boolean {
    return this.horizon !== undefined;
  }

  has(key: string): boolean {
    return this.ids.has(key);
  }

  add(key: string, readingTs: number | null): void {
    this.ids.set(key, readingTs);
  }

  delete(key: string): void {
    this.ids.delete(key);
  }

  /** Writes the buffered identities to the store (once per batch). */
  flush(): void {
    this.ids.flush();
  }

  /** A raw record's receivedAt moves the watermark (never back). */
  observe(receivedAt: number): void {
    if (receivedAt > this.watermark) this.watermark = receivedAt;
  }

  /**
   * Whether a reading that is not in the state cannot be decided: past the horizon at its gateway,
   * or older than what the sweeps may already have dropped. Never true without a horizon.
   */
  undecidable(timestampMs: number, receivedAt: number): boolean {
    if (this.horizon === undefined) return false;
    return pastHorizon(timestampMs, receivedAt, this.horizon.horizonMs) || timestampMs < this.evictBefore();
  }

  /** Drops what is past the horizon, at most once per sweep interval of the watermark. */
  sweep(): SweepChanges {
    const changes: SweepChanges = { evicted: [], stamped: [] };
    if (this.horizon === undefined) return changes;
    if (this.watermark - this.lastSweepAt < this.horizon.sweepIntervalMs) return changes;
    const before = this.evictBefore();
    this.ids.flush();
    for (const [key, readingTs] of this.ids.entries()) {
      if (changes.evicted.length + changes.stamped.length >= this.maxPerSweep) return changes; // more next batch
      if (readingTs === null) {
        this.ids.set(key, this.watermark);
        changes.stamped.push({ key, readingTs: this.watermark });
      } else if (readingTs < before) {
        this.ids.delete(key);
        changes.evicted.push(key);
      }
    }
    this.lastSweepAt = this.watermark;
    return changes;
  }

  private evictBefore(): number {
    return this.watermark - (this.horizon?.horizonMs ?? 0) - MAX_FUTURE_SKEW_MS;
  }
}
