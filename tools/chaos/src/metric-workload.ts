// The API clients of a fault-injection run on the metric-events stream: seeded generators of request
// bodies for the client_ids one harness client owns. Fresh events, identical re-posts (some with the
// timestamp written in another zone or another source: the same identity), invalid events (each
// marked by a unique source, so the failed list can be matched), and simulated failures that a later
// request re-posts without the flag.
import { seededRandom } from '@shopfloor/contracts/testing';
import { DAY_START_MS } from './workload.ts';

export type MetricInput = {
  client_id: string;
  source?: string;
  payload: { metric?: string; amount?: unknown; timestamp: string };
  simulateFailure?: boolean;
};

export type MetricWorkloadCounts = {
  requests: number;
  events: number;
  fresh: number;
  /** Identical events posted again (same identity, maybe another zone or source). */
  duplicates: number;
  /** Events the API must reject (INVALID_TYPE, NOT_AN_INTEGER, MISSING_FIELD). */
  invalid: number;
  /** Events posted with simulateFailure: true. */
  simulated: number;
  /** Simulated failures posted again without the flag. */
  retriedAfterFailure: number;
};

const METRICS = ['clicks', 'orders', 'page_views', 'signups'];
const HOUR = 3_600_000;

/** The same instant written with a +01:00 offset. */
function inPlusOne(iso: string): string {
  const d = new Date(Date.parse(iso) + HOUR).toISOString();
  return `${d.slice(0, 23)}+01:00`;
}

export class MetricWorkload {
  readonly counts: MetricWorkloadCounts = {
    requests: 0,
    events: 0,
    fresh: 0,
    duplicates: 0,
    invalid: 0,
    simulated: 0,
    retriedAfterFailure: 0,
  };
  private readonly rand: () => number;
  private readonly earlier: MetricInput[] = [];
  private readonly failedEarlier: MetricInput[] = [];
  private bad = 0;

  constructor(
    private readonly tag: string,
    seed: number,
    private readonly clientIds: readonly string[],
  ) {
    this.rand = seededRandom(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  private fresh(): MetricInput {
    const big = this.rand() < 0.02;
    const amount = big ? 2 ** 50 + Math.floor(this.rand() * 1000) : Math.floor(this.rand() * 1051) - 50;
    const timestamp = new Date(DAY_START_MS + Math.floor(this.rand() * 24 * HOUR)).toISOString();
    return {
      client_id: this.pick(this.clientIds),
      ...(this.rand() < 0.5 ? { source: this.pick(['web', 'mobile', 'batch-import']) } : {}),
      payload: { metric: this.pick(METRICS), amount, timestamp },
    };
  }

  private invalid(): MetricInput {
    const e = { ...this.fresh(), source: `${this.tag}-bad-${++this.bad}` };
    const kind = this.rand();
    if (kind < 0.4) return { ...e, payload: { ...e.payload, amount: String(e.payload.amount) } }; // INVALID_TYPE
    if (kind < 0.7) return { ...e, payload: { ...e.payload, amount: 1.5 } }; // NOT_AN_INTEGER
    const { metric: _m, ...rest } = e.payload;
    return { ...e, payload: rest }; // MISSING_FIELD
  }

  /** The elements of one request (one event when `size` is 1). */
  batch(size: number): MetricInput[] {
    const events: MetricInput[] = [];
    const held = new Set<MetricInput>();
    const flagged: MetricInput[] = [];
    for (let i = 0; i < size; i++) {
      const r = this.rand();
      if (r < 0.03 && this.failedEarlier.length > 0) {
        const failed = this.failedEarlier.splice(Math.floor(this.rand() * this.failedEarlier.length), 1)[0]!;
        const { simulateFailure: _f, ...retry } = failed;
        events.push(retry);
        held.add(retry);
        this.counts.retriedAfterFailure++;
        continue;
      }
      if (r < 0.15 && this.earlier.length > 0) {
        const original = this.pick(this.earlier);
        const copy: MetricInput =
          this.rand() < 0.3
            ? {
                ...original,
                source: 'resent',
                payload: { ...original.payload, timestamp: inPlusOne(original.payload.timestamp) },
              }
            : { ...original };
        events.push(copy);
        this.counts.duplicates++;
        continue;
      }
      if (r < 0.18) {
        // Re-posted without the flag in a later request only (never in this one).
        const e = { ...this.fresh(), simulateFailure: true };
        events.push(e);
        flagged.push(e);
        this.counts.simulated++;
        continue;
      }
      if (r < 0.21) {
        events.push(this.invalid());
        this.counts.invalid++;
        continue;
      }
      const e = this.fresh();
      events.push(e);
      held.add(e);
      this.counts.fresh++;
    }
    for (const e of held) this.earlier.push(e);
    this.failedEarlier.push(...flagged);
    this.counts.requests++;
    this.counts.events += events.length;
    return events;
  }
}
