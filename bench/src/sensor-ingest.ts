import { type CpuPerEvent, cpuPerEvent, cpuPerEventText } from './cpu-per-event.ts';
import { type EngineActivity, engineActivity, engineCounters } from './engine-activity.ts';
import type { HttpClient } from './http-client.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import { RequestTally } from './request-tally.ts';
import { sendThenDrain } from './run-until-visible.ts';
import { readingsBody, type SensorFleet, sensorFleet } from './sensor-readings.ts';
import { fmtInt, type LatencySummary, round, summarize } from './stats.ts';
import type { BenchContext, SystemUnderTest } from './system-under-test.ts';

export type SensorIngestScenario = {
  mode: 'async' | 'sync';
  batchSize: number;
  clients: number;
  seconds: number;
};

export type SensorIngestResult = SensorIngestScenario & {
  readingsAcked: number;
  /** Sync requests answered 202 (not final within the sync timeout). */
  syncTimeouts: number;
  /** 429/503 answers (load shed) and other failures. */
  shed: number;
  errors: number;
  lastError?: string;
  sendSeconds: number;
  visibleSeconds: number;
  readingsVisible: number;
  complete: boolean;
  ackedPerSec: number;
  /** Readings counted by GET /api/equipment per second, from the first POST to the last counted. */
  visiblePerSec: number;
  requestLatency: LatencySummary;
  /** The sensor processor over the scenario: its transactions and what each wrote to the changelog. */
  processor?: SensorProcessorFigures;
  /** The embedded engine's statements and merges over the scenario, per 1000 readings counted. */
  engine?: EngineActivity;
  usage: Record<string, ProcessUsage>;
  cpuPerReading: CpuPerEvent | undefined;
};

export type SensorProcessorFigures = {
  /**
   * Partition batches committed: one transaction per fetch commits the batches of all the fetch's
   * partitions (up to SHOPFLOOR_SENSOR_PARTITIONS), so transactions are fewer.
   */
  partitionBatches: number;
  readingsPerPartitionBatch: number;
  /** Window records (runs of a window's ring, ~0.14 KB each) per processed reading. */
  windowRecordsPerReading: number;
  /** Changelog bytes (keys and values) per processed reading. */
  stateBytesPerReading: number;
};

type SensorCounters = { batches: number; processed: number; windowRecords: number; stateBytes: number };

/** The sensor processor's counters in the pipeline child ({} when it has none). */
export const sensorCounters = (sut: Pick<SystemUnderTest, 'child'>) =>
  sut.child.request<Partial<SensorCounters>>('sensorCounters').catch(() => ({}) as Partial<SensorCounters>);

/** The processor's figures between two counter readings (undefined when the child has no counters). */
export function processorFigures(
  a: Partial<SensorCounters>,
  b: Partial<SensorCounters>,
): SensorProcessorFigures | undefined {
  if (a.batches === undefined || b.batches === undefined) return undefined;
  const partitionBatches = b.batches - a.batches;
  const processed = (b.processed ?? 0) - (a.processed ?? 0);
  return {
    partitionBatches,
    readingsPerPartitionBatch: round(processed / Math.max(1, partitionBatches)),
    windowRecordsPerReading: round(
      ((b.windowRecords ?? 0) - (a.windowRecords ?? 0)) / Math.max(1, processed),
      2,
    ),
    stateBytesPerReading: round(((b.stateBytes ?? 0) - (a.stateBytes ?? 0)) / Math.max(1, processed)),
  };
}

/** Readings of a fleet counted by GET /api/equipment (readingsCount of its equipment, from the rollups). */
export async function visibleReadings(probe: HttpClient, f: SensorFleet): Promise<number> {
  const list = await probe.getJson<{ equipmentId: string; readingsCount: number }[]>('/api/equipment');
  const prefix = `${f.tag}-E`;
  let n = 0;
  for (const e of list) if (e.equipmentId.startsWith(prefix)) n += e.readingsCount;
  return n;
}

export const webhookPath = (mode: 'async' | 'sync') =>
  mode === 'async' ? '/api/webhook/sensor-data?mode=async' : '/api/webhook/sensor-data';

/**
 * Closed loop like the events ingest rows: `clients` post new readings for `seconds`, then the
 * readings are polled on GET /api/equipment until all are counted (bounded by the drain timeout).
 */
export async function runSensorIngest(
  ctx: BenchContext,
  sut: SystemUnderTest,
  sc: SensorIngestScenario,
): Promise<SensorIngestResult> {
  const name = `${sc.mode}-${sc.batchSize}`;
  const f = sensorFleet(`${ctx.runTag}-s-${name}`, 200);
  const label = `[sensors ${name}]`;
  const maxBatches = Math.ceil((sc.seconds * 200_000) / sc.batchSize);
  const counters0 = await sensorCounters(sut);
  const engine0 = await engineCounters(sut.child);
  const usage = ctx.sampler.window();
  let visible = 0;
  const tally = new RequestTally(sc.mode);
  const sendOne = (n: number) => {
    const body = readingsBody(f, n * sc.batchSize, sc.batchSize);
    return tally.count(sc.batchSize, () => sut.load.request('POST', webhookPath(sc.mode), body));
  };
  const { sendSeconds, visibleSeconds, ...drained } = await sendThenDrain({
    clients: sc.clients,
    seconds: sc.seconds,
    maxRequests: maxBatches,
    sendOne,
    countVisible: () => visibleReadings(sut.probe, f),
    acked: () => tally.itemsAcked,
    drainTimeoutMs: ctx.options.drainTimeoutSeconds * 1000,
    aborted: () => ctx.aborted(),
    report: (s) =>
      ctx.progress(
        `${label} ${s.toFixed(0)} s: acked ${fmtInt(tally.itemsAcked)} (${fmtInt(tally.itemsAcked / s)}/s), visible ${fmtInt(visible)}, shed ${tally.shed}, errors ${tally.errors}`,
      ),
    refresh: async () => {
      visible = await visibleReadings(sut.probe, f);
    },
  });
  visible = drained.visible;
  const { itemsAcked: acked, syncTimeouts, shed, errors, lastError } = tally;
  const counted = Math.min(visible, acked);
  const used = usage.end();
  const processor = processorFigures(counters0, await sensorCounters(sut));
  const engine = engineActivity(engine0, await engineCounters(sut.child), counted);
  const result: SensorIngestResult = {
    ...sc,
    readingsAcked: acked,
    syncTimeouts,
    shed,
    errors,
    ...(lastError ? { lastError } : {}),
    sendSeconds: round(sendSeconds, 2),
    visibleSeconds: round(visibleSeconds, 2),
    readingsVisible: visible,
    complete: visible >= acked,
    ackedPerSec: Math.round(acked / sendSeconds),
    visiblePerSec: Math.round(counted / visibleSeconds),
    requestLatency: summarize(tally.latencies),
    ...(processor ? { processor } : {}),
    ...(engine ? { engine } : {}),
    usage: used,
    cpuPerReading: cpuPerEvent(used, counted, ctx.idleUsage),
  };
  ctx.progress(
    `${label} done: ${fmtInt(result.visiblePerSec)} readings/s visible (acked ${fmtInt(result.ackedPerSec)}/s, drain ${(visibleSeconds - sendSeconds).toFixed(1)} s${result.complete ? '' : ', INCOMPLETE'}), shed ${shed}, errors ${errors}; ${cpuPerEventText(result.cpuPerReading)}`,
  );
  return result;
}
