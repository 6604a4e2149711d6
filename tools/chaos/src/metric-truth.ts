// What the metric-events tables and routes must hold after a run, from the pure core of
// @shopfloor/metric-events (validation and content identity): an identity is counted once iff some
// acknowledged post of it came without simulateFailure (whatever the order: a flagged post of a
// counted identity is a duplicate, a flagged one first fails and the plain one is counted). Failed
// rows are matched by key (a rejection by its unique source, a simulated failure by its id): each
// expected one must be listed at least once and at most once per request attempt that carried it
// (a post re-sent after a lost answer is a new failure of its own); nothing else may be listed.
import { validateMetricEvent } from '@shopfloor/metric-events';

export type CountedEvent = { clientId: string; metric: string; amount: number; timestampMs: number };
export type ExpectedFailure = { clientId: string; reason: string; maxRows: number };
export type Totals = { count: number; totalAmount: string };

const MINUTE = 60_000;
export const metricMinuteKey = (clientId: string, metric: string, minuteMs: number) =>
  `${clientId} / ${metric} @ ${minuteMs}`;

/** The key a failed row is matched by. */
export function failureKey(reason: string, id: string | null, payload: unknown): string {
  if (reason === 'SIMULATED_FAILURE') return `SIMULATED_FAILURE ${id}`;
  const source = (payload as { source?: unknown } | null)?.source;
  return `${reason} ${typeof source === 'string' ? source : JSON.stringify(payload)}`;
}

export class MetricTruth {
  readonly counted = new Map<string, CountedEvent>();
  readonly failures = new Map<string, ExpectedFailure>();
  /** Per element of a request, what the API must answer: its id, or its rejection reason. */
  expectedAnswer(element: unknown): { id: string | null; reason: string | null } {
    const v = validateMetricEvent(element, { allowSimulatedFailures: true });
    return v.ok ? { id: v.value.id, reason: null } : { id: null, reason: v.reason };
  }

  /** Records one acknowledged request: its elements in order, and how many attempts carried it. */
  acknowledged(elements: readonly unknown[], attempts: number): void {
    for (const element of elements) {
      const v = validateMetricEvent(element, { allowSimulatedFailures: true });
      if (!v.ok) {
        if (v.clientId === null) throw new Error('the workload posts invalid events under a client_id');
        this.addFailure(failureKey(v.reason, null, element), v.clientId, v.reason, attempts);
        continue;
      }
      const { id, event, simulateFailure } = v.value;
      if (!simulateFailure) {
        this.counted.set(id, {
          clientId: event.clientId,
          metric: event.metric,
          amount: event.amount,
          timestampMs: event.timestampMs,
        });
        // A failure recorded earlier for this identity stays listed (it happened).
      } else if (!this.counted.has(id)) {
        this.addFailure(
          failureKey('SIMULATED_FAILURE', id, element),
          event.clientId,
          'SIMULATED_FAILURE',
          attempts,
        );
      }
    }
  }

  private addFailure(key: string, clientId: string, reason: string, attempts: number): void {
    const f = this.failures.get(key);
    if (f) f.maxRows += attempts;
    else this.failures.set(key, { clientId, reason, maxRows: attempts });
  }

  clients(): string[] {
    return [...new Set([...this.counted.values()].map((e) => e.clientId))].sort();
  }

  /** GET /aggregates over [fromMs, toMs): count and exact total, overall and per metric. */
  aggregates(clientId: string, fromMs: number, toMs: number): Totals & { metrics: Record<string, Totals> } {
    const all = { count: 0, total: 0n };
    const metrics = new Map<string, { count: number; total: bigint }>();
    for (const e of this.counted.values()) {
      if (e.clientId !== clientId || e.timestampMs < fromMs || e.timestampMs >= toMs) continue;
      all.count++;
      all.total += BigInt(e.amount);
      const m = metrics.get(e.metric) ?? { count: 0, total: 0n };
      m.count++;
      m.total += BigInt(e.amount);
      metrics.set(e.metric, m);
    }
    return {
      count: all.count,
      totalAmount: String(all.total),
      metrics: Object.fromEntries(
        [...metrics]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, m]) => [k, { count: m.count, totalAmount: String(m.total) }]),
      ),
    };
  }

  /** metric_minute_totals: per (client, metric, minute). */
  minutes(): Map<string, Totals> {
    const map = new Map<string, { count: number; total: bigint }>();
    for (const e of this.counted.values()) {
      const key = metricMinuteKey(e.clientId, e.metric, Math.floor(e.timestampMs / MINUTE) * MINUTE);
      const m = map.get(key) ?? { count: 0, total: 0n };
      m.count++;
      m.total += BigInt(e.amount);
      map.set(key, m);
    }
    return new Map([...map].map(([k, m]) => [k, { count: m.count, totalAmount: String(m.total) }]));
  }
}
