import { promValue } from './prometheus-text.ts';

// The pipeline's own split of an alert's time, from its `shopfloor_sensor_alert_latency_seconds`
// histogram: the webhook's receivedAt -> the processor's committed transaction (stage committed),
// -> the alert projector holding it with its group's marker written (stage recorded: the Kafka hops
// behind it) and -> the alert projector's insert (stage visible). Read from /metrics before and after a run, so
// the difference covers that run's alerts only; the rest of the bench's figure is the query.
export type AlertStageMeans = {
  committedMs: number;
  /** Undefined for a pipeline that does not time the stage. */
  recordedMs: number | undefined;
  visibleMs: number;
  alerts: number;
  /** Alerts whose stage took over 500 ms (the p99 bound; a histogram bucket edge, so exact). */
  committedOver500: number;
  recordedOver500: number | undefined;
  visibleOver500: number;
};

type Stage = 'committed' | 'recorded' | 'visible';

type Sample = { sum: number; count: number };

const HISTOGRAM = 'shopfloor_sensor_alert_latency_seconds';

function stageSample(metrics: string, stage: Stage): Sample {
  const value = (suffix: string) => promValue(metrics, `${HISTOGRAM}_${suffix}`, { stage }) ?? 0;
  return { sum: value('sum'), count: value('count') };
}

/** Observations at or under 500 ms (the `le="0.5"` bucket). */
function within500(metrics: string, stage: Stage): number {
  return promValue(metrics, `${HISTOGRAM}_bucket`, { stage, le: '0.5' }) ?? 0;
}

/** Mean ms per stage between two /metrics texts; undefined when no alert reached both stages. */
export function alertStageMeans(before: string, after: string): AlertStageMeans | undefined {
  const mean = (stage: Stage) => {
    const a = stageSample(after, stage);
    const b = stageSample(before, stage);
    const count = a.count - b.count;
    return { count, ms: count > 0 ? ((a.sum - b.sum) / count) * 1000 : Number.NaN };
  };
  const over500 = (stage: Stage, count: number) =>
    count - (within500(after, stage) - within500(before, stage));
  const committed = mean('committed');
  const recorded = mean('recorded');
  const visible = mean('visible');
  if (committed.count <= 0 || visible.count <= 0) return undefined;
  const timed = recorded.count > 0;
  return {
    committedMs: Math.round(committed.ms),
    recordedMs: timed ? Math.round(recorded.ms) : undefined,
    visibleMs: Math.round(visible.ms),
    alerts: visible.count,
    committedOver500: over500('committed', committed.count),
    recordedOver500: timed ? over500('recorded', recorded.count) : undefined,
    visibleOver500: over500('visible', visible.count),
  };
}
