// A seeded workload of batches (new events, exact duplicates, corrections that may move an event to
// another machine, line, factory or hour, a few invalid events) and the ground truth computed
// independently of the pipeline: posts are sequential, so a later post has a newer receivedAt and
// the last posted version of an eventId wins.

import { ExpectedState, type MachineEvent } from '@shopfloor/chaos';
import { seededRandom } from '@shopfloor/contracts/testing';

export type { MachineEvent };

export type BatchCounts = { accepted: number; deduped: number; updated: number; rejected: number };

const DAY = Date.parse('2026-03-01T00:00:00.000Z');
export const DAY_START = '2026-03-01T00:00:00.000Z';
export const DAY_END = '2026-03-02T00:00:00.000Z';
const HOUR = 3_600_000;

type Place = { machineId: string; lineId: string; factoryId: string };

export class Workload {
  readonly places: Place[] = [];
  readonly factories: string[] = [];
  private readonly rand: () => number;
  private next = 0;
  /** Every valid eventId posted so far (in earlier batches) and its current version. */
  private readonly current = new Map<string, MachineEvent>();
  /** Ids posted in batches before the one being built (candidates for corrections). */
  private readonly earlier: string[] = [];

  constructor(
    private readonly tag: string,
    seed: number,
    shape = { factories: 3, linesPerFactory: 3, machinesPerLine: 2 },
  ) {
    this.rand = seededRandom(seed);
    for (let f = 1; f <= shape.factories; f++) {
      const factoryId = `${tag}-F${f}`;
      this.factories.push(factoryId);
      for (let l = 1; l <= shape.linesPerFactory; l++) {
        for (let m = 1; m <= shape.machinesPerLine; m++) {
          this.places.push({
            factoryId,
            lineId: `${factoryId}-L${l}`,
            machineId: `${factoryId}-L${l}-M${m}`,
          });
        }
      }
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }

  private time(): string {
    return new Date(DAY + Math.floor(this.rand() * 24 * HOUR)).toISOString();
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
   * One batch of `size` events: ~10% exact duplicates of the current version of an event posted
   * before (earlier in this batch included), ~5% corrections of an event of an earlier batch (half
   * of them moving it to another place or hour), ~1% invalid events, the rest new. One eventId never
   * appears with two different payloads in one batch (they would tie on receivedAt).
   */
  batch(size = 100): unknown[] {
    const events: unknown[] = [];
    const inBatch = new Map<string, MachineEvent>();
    const corrected = new Set<string>();
    for (let i = 0; i < size; i++) {
      const r = this.rand();
      const known = [...inBatch.keys()];
      if (r < 0.1 && (this.earlier.length > 0 || known.length > 0)) {
        const pool =
          known.length === 0 || (this.earlier.length > 0 && this.rand() < 0.7) ? this.earlier : known;
        const id = this.pick(pool);
        const version = inBatch.get(id) ?? this.current.get(id)!;
        events.push({ ...version, receivedTime: '2020-01-01T00:00:00Z' }); // ignored by the gateway
        inBatch.set(id, version);
        continue;
      }
      if (r < 0.15 && this.earlier.length > 0) {
        const id = this.pick(this.earlier);
        if (!inBatch.has(id) && !corrected.has(id)) {
          const old = this.current.get(id)!;
          const moved = this.rand() < 0.5;
          let defectCount = this.defects();
          if (!moved && defectCount === old.defectCount)
            defectCount = old.defectCount === 5 ? 4 : old.defectCount + 1;
          const version: MachineEvent = {
            ...old,
            ...(moved ? { ...this.pick(this.places), eventTime: this.time() } : {}),
            defectCount,
          };
          events.push(version);
          inBatch.set(id, version);
          corrected.add(id);
          continue;
        }
      }
      if (r > 0.99) {
        events.push({ ...this.fresh(), durationMs: 6 * HOUR + 1 }); // INVALID_DURATION
        continue;
      }
      const e = this.fresh();
      events.push(e);
      inBatch.set(e.eventId, e);
    }
    for (const [id, version] of inBatch) {
      if (!this.current.has(id)) this.earlier.push(id);
      this.current.set(id, version);
    }
    return events;
  }
}

const PAYLOAD = ['eventTime', 'machineId', 'lineId', 'factoryId', 'durationMs', 'defectCount'] as const;
const samePayload = (a: MachineEvent, b: MachineEvent) =>
  PAYLOAD.every((k) => (k === 'eventTime' ? Date.parse(a[k]) === Date.parse(b[k]) : a[k] === b[k]));
const isValid = (e: MachineEvent) => e.durationMs >= 0 && e.durationMs <= 6 * HOUR && e.defectCount >= -1;

/** The ground truth: fed the batches in post order, it gives each batch's expected counts. */
export class GroundTruth {
  readonly winners = new Map<string, MachineEvent>();
  readonly totals: BatchCounts = { accepted: 0, deduped: 0, updated: 0, rejected: 0 };

  apply(batch: readonly unknown[]): BatchCounts {
    const counts: BatchCounts = { accepted: 0, deduped: 0, updated: 0, rejected: 0 };
    for (const raw of batch) {
      const { receivedTime: _ignored, ...e } = raw as MachineEvent & { receivedTime?: string };
      if (!isValid(e)) {
        counts.rejected++;
        continue;
      }
      const cur = this.winners.get(e.eventId);
      if (!cur) counts.accepted++;
      else if (samePayload(cur, e)) counts.deduped++;
      else counts.updated++;
      if (!cur || !samePayload(cur, e)) this.winners.set(e.eventId, e);
    }
    for (const k of Object.keys(counts) as (keyof BatchCounts)[]) this.totals[k] += counts[k];
    return counts;
  }

  /** GET /stats counts over [start, end), from the winners (the fault-injection harness's model). */
  machineStats(machineId: string, start: string, end: string) {
    const { eventsCount, defectsCount } = new ExpectedState(this.winners.values()).machineStats(
      machineId,
      Date.parse(start),
      Date.parse(end),
    );
    return { eventsCount, defectsCount };
  }

  /** GET /stats/top-defect-lines over [from, to), every line. */
  topDefectLines(factoryId: string, from: string, to: string) {
    return new ExpectedState(this.winners.values()).topDefectLines(
      factoryId,
      Date.parse(from),
      Date.parse(to),
      Number.POSITIVE_INFINITY,
    );
  }
}
