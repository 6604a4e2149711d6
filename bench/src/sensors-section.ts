import { cpuPerEventText } from './cpu-per-event.ts';
import { engineActivityText } from './engine-activity.ts';
import type { TableRow } from './report.ts';
import { type AlertLatencyResult, runAlertLatency } from './sensor-alert-latency.ts';
import {
  runSensorIngest,
  type SensorIngestResult,
  type SensorProcessorFigures,
  webhookPath,
} from './sensor-ingest.ts';
import { readingsBody, sensorFleet } from './sensor-readings.ts';
import { fmtInt, round } from './stats.ts';
import type { BenchContext, SystemUnderTest } from './system-under-test.ts';

export type SensorsResult = {
  ingest: SensorIngestResult[];
  /** The best visible readings/s of the ingest rows: the maximum sustained rate. */
  maxSustainedPerSec: number;
  alertLatency?: AlertLatencyResult;
};

/** Issue 12's targets. */
export const SENSOR_TARGETS = { readingsPerSec: 10_000, alertP99Ms: 500 };

/**
 * The sensor stream through the webhook of the pipeline child: the readings/s of several clients
 * posting 100- and 500-reading batches, sync and async (the best is the maximum sustained rate),
 * then the alert latency at half of that rate.
 */
export async function runSensorsSection(ctx: BenchContext, sut: SystemUnderTest): Promise<SensorsResult> {
  const { clients, sensorSeconds, alertSeconds } = ctx.options;
  const result: SensorsResult = { ingest: [], maxSustainedPerSec: 0 };
  // JIT, connections, the sensor topics' first transactions and parts.
  const warm = sensorFleet(`${ctx.runTag}-s-warmup`, 50);
  for (let i = 0; i < (ctx.options.smoke ? 3 : 10) && !ctx.aborted(); i++) {
    await sut.load.request('POST', webhookPath('sync'), readingsBody(warm, i * 500, 500)).catch(() => {});
  }
  for (const mode of ['async', 'sync'] as const) {
    for (const batchSize of [500, 100]) {
      if (ctx.aborted()) return result;
      result.ingest.push(
        await runSensorIngest(ctx, sut, { mode, batchSize, clients, seconds: sensorSeconds }),
      );
    }
  }
  result.maxSustainedPerSec = Math.max(
    0,
    ...result.ingest.filter((i) => i.complete).map((i) => i.visiblePerSec),
  );
  if (!ctx.aborted()) {
    const rate =
      ctx.options.alertRate ?? (result.maxSustainedPerSec > 0 ? result.maxSustainedPerSec / 2 : 1000);
    result.alertLatency = await runAlertLatency(ctx, sut, rate, alertSeconds);
  }
  return result;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function sensorsRows(s: SensorsResult | undefined): TableRow[] {
  if (!s) return [];
  const rows: TableRow[] = s.ingest.map((i) => ({
    section: 'sensors',
    measurement: `webhook ${i.mode} ${i.batchSize}/post x${i.clients} clients, ${i.seconds} s`,
    result: `${fmtInt(i.visiblePerSec)} readings/s visible (acked ${fmtInt(i.ackedPerSec)}/s; ${fmtInt(i.readingsAcked)} readings, drain ${round(i.visibleSeconds - i.sendSeconds, 1)} s${i.complete ? '' : ', INCOMPLETE'}${i.shed ? `, ${i.shed} shed` : ''}${i.errors ? `, ${i.errors} errors` : ''}${i.syncTimeouts ? `, ${i.syncTimeouts} sync timeouts` : ''}); post p50 ${i.requestLatency.p50} / p99 ${i.requestLatency.p99} ms; ${processorText(i.processor)}${engineActivityText(i.engine, 'readings')}${cpuPerEventText(i.cpuPerReading).replace('/event', '/reading')}`,
    target: `>= ${fmtInt(SENSOR_TARGETS.readingsPerSec)} readings/s`,
    verdict: verdict(i.complete && i.visiblePerSec >= SENSOR_TARGETS.readingsPerSec),
  }));
  const a = s.alertLatency;
  if (a) {
    rows.push({
      section: 'sensors',
      measurement: `alert latency: spike's async 202 -> GET /api/alerts/history, at ${fmtInt(a.achievedPerSec)} readings/s (target ${fmtInt(a.targetPerSec)}; max sustained ${fmtInt(s.maxSustainedPerSec)}), ${a.spikes} spikes`,
      result: `p50 ${a.latency.p50} ms, p99 ${a.latency.p99} ms, max ${a.latency.max} ms${a.stages ? ` (pipeline's means from the webhook: committed ${a.stages.committedMs} ms,${a.stages.recordedMs === undefined ? '' : ` recorded ${a.stages.recordedMs} ms,`} visible ${a.stages.visibleMs} ms; over 500 ms: committed ${a.stages.committedOver500},${a.stages.recordedOver500 === undefined ? '' : ` recorded ${a.stages.recordedOver500},`} visible ${a.stages.visibleOver500} of ${a.stages.alerts})` : ''}; slowest ${a.slowest.map((x) => `${x.ms} ms at ${x.atS} s`).join(', ')}; ${a.polls.n} history polls answered in p50 ${a.polls.answer.p50} / p99 ${a.polls.answer.p99} ms${a.polls.serverMeanMs === undefined ? '' : ` (server's mean ${a.polls.serverMeanMs} ms)`}${a.eventLoopLag ? `; pipeline event loop delay p50 ${a.eventLoopLag.p50Ms} / p99 ${a.eventLoopLag.p99Ms} / max ${a.eventLoopLag.maxMs} ms` : ''}${a.timedOut ? `; ${a.timedOut} timed out` : ''}${a.wrongSeverity ? `; ${a.wrongSeverity} not CRITICAL` : ''}${a.skipped ? `; ${a.skipped} batches skipped (behind)` : ''}${a.errors ? `; ${a.errors} errors (${a.errorKinds})` : ''}; ${processorText(a.processor)}${engineActivityText(a.engine, 'readings')}${cpuPerEventText(a.cpuPerReading).replace('/event', '/reading')}`,
      target: `p99 <= ${SENSOR_TARGETS.alertP99Ms} ms`,
      verdict: verdict(a.latency.n > 0 && a.timedOut === 0 && a.latency.p99 <= SENSOR_TARGETS.alertP99Ms),
    });
  }
  return rows;
}

/** The processor's figures of a row ('' when the child has no sensor counters). */
function processorText(p: SensorProcessorFigures | undefined): string {
  if (p === undefined) return '';
  return `processor ${p.readingsPerPartitionBatch} readings/partition batch, ${p.windowRecordsPerReading} window records and ${fmtInt(p.stateBytesPerReading)} changelog bytes/reading; `;
}
