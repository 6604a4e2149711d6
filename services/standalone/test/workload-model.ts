// A seeded workload of batches (new events, exact duplicates, corrections that may move an event to
// another machine, line, factory or hour, a few invalid events) and the ground truth computed
// independently of the pipeline: posts are sequential, so a later post has a newer receivedAt and
// the last posted version of an eventId wins.

import { ClientWorkload, ExpectedState, type MachineEvent, type Place, plantLayout } from '@shopfloor/chaos';

export type { MachineEvent };

export type BatchCounts = { accepted: number; deduped: number; updated: number; rejected: number };

export const DAY_START = '2026-03-01T00:00:00.000Z';
export const DAY_END = '2026-03-02T00:00:00.000Z';
const HOUR = 3_600_000;

/**
 * The machines of the standalone e2e tests: the chaos harness's seeded client (new events, exact
 * duplicates, corrections that may move an event to another machine, line, factory or hour) with
 * ~10% duplicates, ~5% corrections, ~1% invalid events, and a client receivedTime the gateway ignores.
 */
export class Workload {
  readonly places: Place[];
  readonly factories: string[];
  private readonly client: ClientWorkload;

  constructor(tag: string, seed: number, shape?: Parameters<typeof plantLayout>[1]) {
    ({ places: this.places, factories: this.factories } = plantLayout(tag, shape));
    this.client = new ClientWorkload(tag, seed, this.places, {
      duplicates: 0.1,
      corrections: 0.05,
      invalid: 0.01,
      clientReceivedTime: '2020-01-01T00:00:00Z',
    });
  }

  /** One batch of `size` events; one eventId never has two different payloads in one batch. */
  batch(size = 100): unknown[] {
    return this.client.batch(size);
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
