// The pipeline's own split of an alert's time, from its `shopfloor_sensor_alert_latency_seconds`
// histogram: the webhook's receivedAt -> the processor's committed transaction (stage committed)
// and -> the alert projector's insert (stage visible). Read from /metrics before and after a run, so
// the difference covers that run's alerts only; the rest of the bench's figure is the query.
export type AlertStageMeans = { committedMs: number; visibleMs: number; alerts: number };

type Sample = { sum: number; count: number };

function stageSample(metrics: string, stage: 'committed' | 'visible'): Sample {
  const value = (suffix: string) => {
    const prefix = `shopfloor_sensor_alert_latency_seconds_${suffix}{stage="${stage}"} `;
    const line = metrics.split('\n').find((l) => l.startsWith(prefix));
    return line ? Number(line.slice(prefix.length)) || 0 : 0;
  };
  return { sum: value('sum'), count: value('count') };
}

/** Mean ms per stage between two /metrics texts; undefined when no alert reached both stages. */
export function alertStageMeans(before: string, after: string): AlertStageMeans | undefined {
  const mean = (stage: 'committed' | 'visible') => {
    const a = stageSample(after, stage);
    const b = stageSample(before, stage);
    const count = a.count - b.count;
    return { count, ms: count > 0 ? ((a.sum - b.sum) / count) * 1000 : Number.NaN };
  };
  const committed = mean('committed');
  const visible = mean('visible');
  if (committed.count <= 0 || visible.count <= 0) return undefined;
  return {
    committedMs: Math.round(committed.ms),
    visibleMs: Math.round(visible.ms),
    alerts: visible.count,
  };
}
