// The machines of a fault-injection run: seeded generators of batches with exact duplicates and
// corrections (some moving an event to another machine, line, factory and hour). Each client owns
// its eventIds and posts its batches one after another, retrying until acknowledged, so the last
// generated version of an eventId is the last acknowledged one: the ground truth.
// The standalone e2e tests use the same generator (services/standalone/test/workload-model.ts), with
// their own ratios, a few invalid events and a client receivedTime on the resent copies.

import type { MachineEvent } from '@shopfloor/contracts';
import { seededRandom } from '@shopfloor/contracts/testing';

export type { MachineEvent };

export type Place = { machineId: string; lineId: string; factoryId: string };

export const DAY_START_MS = Date.parse('2026-03-01T00:00:00.000Z');
export const DAY_END_MS = DAY_START_MS + 24 * 3_600_000;
const HOUR = 3_600_000;

export function plantLayout(
  tag: string,
  shape = { factories: 3, linesPerFactory: 3, machinesPerLine: 2 },
): { places: Place[]; factories: string[] } {
  const places: Place[] = [];
  const factories: string[] = [];
  for (let f = 1; f <= shape.factories; f++) {
    const factoryId = `${tag}-F${f}`;
    factories.push(factoryId);
    for (let l = 1; l <= shape.linesPerFactory; l++) {
      for (let m = 1; m <= shape.machinesPerLine; m++) {
        places.push({ factoryId, lineId: `${factoryId}-L${l}`, machineId: `${factoryId}-L${l}-M${m}` });
      }
    }
  }
  return { places, factories };
}

export type WorkloadCounts = {
  batches: number;
  events: number;
  /** New eventIds. */
  fresh: number;
  /** Exact copies of the current version of an eventId (the pipeline must dedupe them). */
  duplicates: number;
  /** New versions of an eventId posted in an earlier batch. */
  corrections: number;
  /** Corrections that moved the event to another place and time. */
  moved: number;
  /** Events the gateway must reject (a duration over 6 h). */
  invalid: number;
};

export interface WorkloadRatios {
  /** Share of events that are exact duplicates (default 0.12). */
  duplicates?: number;
  /** Share of events that are corrections (default 0.08). */
  corrections?: number;
  /** Share of events that are invalid (default 0: the chaos run compares tables, not batch answers). */
  invalid?: number;
  /** A `receivedTime` sent with each duplicate, which the gateway must ignore. Default: none. */
  clientReceivedTime?: string;
}

/** One machine client: its own eventIds, its own PRNG stream. */
export class ClientWorkload {
  readonly counts: WorkloadCounts = {
    batches: 0,
    events: 0,
    fresh: 0,
    duplicates: 0,
    corrections: 0,
    moved: 0,
    invalid: 0,
  };
  /** Every eventId generated so far and its current (last generated) version. */
  readonly current = new Map<string, MachineEvent>();
  private readonly rand: () => number;
  private readonly earlier: string[] = [];
  private next = 0;
  private readonly dupShare: number;
  private readonly corrShare: number;
  private readonly invalidShare: number;
  private readonly resent: { receivedTime?: string };

  constructor(
    private readonly tag: string,
    seed: number,
    private readonly places: readonly Place[],
    ratios: WorkloadRatios = {},
  ) {
    this.rand = seededRandom(seed);
    this.dupShare = ratios.duplicates ?? 0.12;
    this.corrShare = ratios.corrections ?? 0.08;
    this.invalidShare = ratios.invalid ?? 0;
    this.resent = ratios.clientReceivedTime ? { receivedTime: ratios.clientReceivedTime } : {};
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }

  private time(): string {
    return new Date(DAY_START_MS + Math.floor(this.rand() * 24 * HOUR)).toISOString();
  }

  private defects(): number {
    return this.rand() < 0.05 ? -1 : Math.floor(this.rand() * 6);
  }

  private fresh(): MachineEvent {
    return {
      eventId: `${this.tag}-e${++this.next}`,
      eventTime: this.time(),
      ...this.pick(this.places),
      durationMs: 1 + Math.floor(this.rand() * 60_000),
      defectCount: this.defects(),
    };
  }

  /**
   * A batch of `size` events. An eventId never appears with two different payloads in one batch
   * (they would tie on receivedAt); corrections only touch eventIds of earlier batches, which were
   * acknowledged before this one is posted.
   */
  batch(size: number): MachineEvent[] {
    const events: MachineEvent[] = [];
    const inBatch = new Map<string, MachineEvent>();
    const corrected = new Set<string>();
    for (let i = 0; i < size; i++) {
      const r = this.rand();
      if (r < this.dupShare && (this.earlier.length > 0 || inBatch.size > 0)) {
        const fromEarlier = inBatch.size === 0 || (this.earlier.length > 0 && this.rand() < 0.7);
        const id = fromEarlier ? this.pick(this.earlier) : this.pick([...inBatch.keys()]);
        const version = inBatch.get(id) ?? this.current.get(id)!;
        events.push({ ...version, ...this.resent });
        inBatch.set(id, version);
        this.counts.duplicates++;
        continue;
      }
      if (r < this.dupShare + this.corrShare && this.earlier.length > 0) {
        const id = this.pick(this.earlier);
        if (!inBatch.has(id) && !corrected.has(id)) {
          const old = this.current.get(id)!;
          const moved = this.rand() < 0.5;
          const version: MachineEvent = moved
            ? { ...old, ...this.pick(this.places), eventTime: this.time(), defectCount: this.defects() }
            : { ...old, defectCount: old.defectCount === 5 ? 4 : old.defectCount + 1 };
          if (moved && version.eventTime === old.eventTime) version.durationMs = old.durationMs + 1;
          events.push(version);
          inBatch.set(id, version);
          corrected.add(id);
          this.counts.corrections++;
          if (moved) this.counts.moved++;
          continue;
        }
      }
      if (r > 1 - this.invalidShare) {
        events.push({ ...this.fresh(), durationMs: 6 * HOUR + 1 }); // INVALID_DURATION
        this.counts.invalid++;
        continue;
      }
      const e = this.fresh();
      events.push(e);
      inBatch.set(e.eventId, e);
      this.counts.fresh++;
    }
    for (const [id, version] of inBatch) {
      if (!this.current.has(id)) this.earlier.push(id);
      this.current.set(id, version);
    }
    this.counts.batches++;
    this.counts.events += events.length;
    return events;
  }
}
