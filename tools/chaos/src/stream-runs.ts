// The sensor and metric-events streams of a fault-injection run, next to the machine events: their
// clients (started with the events workload, under the same faults), their ground truths, and their
// checks, each stream summed up as one line of the report.
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '@shopfloor/sensors';
import type { TableDiff } from './diff.ts';
import { emptyPostStats, type PostStats } from './machine-clients.ts';
import { checkMetricApi, checkMetricTables, waitForMetricTotals } from './metric-check.ts';
import { runMetricClient } from './metric-clients.ts';
import { MetricTruth } from './metric-truth.ts';
import { MetricWorkload, type MetricWorkloadCounts } from './metric-workload.ts';
import { checkSensorTables } from './sensor-check.ts';
import { runSensorClient, type SensorClientFigures } from './sensor-clients.ts';
import { SensorTruth } from './sensor-truth.ts';
import { SensorWorkload, type SensorWorkloadCounts } from './sensor-workload.ts';

/** Answers that contradicted the truth, as one comparison (each one a difference). */
export function answersDiff(table: string, problems: readonly string[], answers: number): TableDiff {
  return {
    table,
    expectedKeys: answers,
    actualKeys: answers,
    missing: 0,
    extra: 0,
    mismatched: problems.length,
    differences: problems.length,
    samples: problems.slice(0, 8),
  };
}

const sum = <K extends string>(xs: readonly Record<K, number>[], zero: Record<K, number>) =>
  xs.reduce<Record<K, number>>(
    (acc, x) => {
      for (const k of Object.keys(acc) as K[]) acc[k] += x[k];
      return acc;
    },
    { ...zero },
  );

/** The detector the sensor service runs: its defaults, or what the run's environment sets. */
export function detectorConfigOf(env: Record<string, string> = {}): DetectorConfig {
  const n = (key: string, fallback: number) => (env[key] === undefined ? fallback : Number(env[key]));
  return {
    windowSize: n('ROLLING_WINDOW_SIZE', DEFAULT_DETECTOR_CONFIG.windowSize),
    minWindow: n('ANOMALY_MIN_WINDOW', DEFAULT_DETECTOR_CONFIG.minWindow),
    thresholdSigma: n('ANOMALY_THRESHOLD_SIGMA', DEFAULT_DETECTOR_CONFIG.thresholdSigma),
  };
}

export type StreamRunOptions = {
  tag: string;
  seed: number;
  durationMs: number;
  clients: number;
  giveUpMs: number;
};

export class SensorStreamRun {
  readonly truth: SensorTruth;
  readonly workloads: SensorWorkload[];
  readonly posting: PostStats = emptyPostStats();
  readonly figures: SensorClientFigures = {
    syncAnswers: 0,
    syncTimeouts: 0,
    asyncAnswers: 0,
    resolutions: 0,
  };
  readonly problems: string[] = [];

  constructor(
    private readonly o: StreamRunOptions & { readings: number },
    detector: DetectorConfig,
  ) {
    this.truth = new SensorTruth(detector);
    this.workloads = Array.from({ length: o.clients }, (_, i) => {
      const equipment = [1, 2, 3].map((e) => `${o.tag}-EQ${i + 1}-${e}`);
      return new SensorWorkload(`${o.tag}-s${i + 1}`, o.seed * 7 + i, equipment);
    });
  }

  /** The clients, done once every reading is acknowledged and the closing batches are visible. */
  run(baseUrl: string): Promise<void> {
    const quota = Math.ceil(this.o.readings / this.o.clients);
    return Promise.all(
      this.workloads.map((workload, i) =>
        runSensorClient({
          baseUrl,
          workload,
          truth: this.truth,
          quota: Math.max(0, Math.min(quota, this.o.readings - i * quota)),
          durationMs: this.o.durationMs,
          minBatch: 10,
          maxBatch: 60,
          seed: this.o.seed * 13 + i,
          stats: this.posting,
          figures: this.figures,
          problems: this.problems,
          giveUpMs: this.o.giveUpMs,
        }),
      ),
    ).then(() => {});
  }

  async check(clickhouseDir: string): Promise<TableDiff[]> {
    return [
      answersDiff(
        'POST /api/webhook/sensor-data, PATCH resolve (answers)',
        this.problems,
        this.figures.syncAnswers,
      ),
      ...(await checkSensorTables(clickhouseDir, this.truth)),
    ];
  }

  counts(): SensorWorkloadCounts {
    return sum(
      this.workloads.map((w) => w.counts),
      { batches: 0, readings: 0, fresh: 0, withoutId: 0, duplicates: 0, spikes: 0, invalid: 0 },
    );
  }
}

export class MetricStreamRun {
  readonly truth = new MetricTruth();
  readonly workloads: MetricWorkload[];
  readonly posting: PostStats = emptyPostStats();
  readonly problems: string[] = [];

  constructor(private readonly o: StreamRunOptions & { events: number }) {
    this.workloads = Array.from(
      { length: o.clients },
      (_, i) =>
        new MetricWorkload(`${o.tag}-m${i + 1}`, o.seed * 11 + i, [
          `${o.tag}-acme${i + 1}`,
          `${o.tag}-globex${i + 1}`,
        ]),
    );
  }

  run(baseUrl: string): Promise<void> {
    const quota = Math.ceil(this.o.events / this.o.clients);
    return Promise.all(
      this.workloads.map((workload, i) =>
        runMetricClient({
          baseUrl,
          workload,
          truth: this.truth,
          quota: Math.max(0, Math.min(quota, this.o.events - i * quota)),
          durationMs: this.o.durationMs,
          maxBatch: 40,
          seed: this.o.seed * 19 + i,
          stats: this.posting,
          problems: this.problems,
          giveUpMs: this.o.giveUpMs,
        }),
      ),
    ).then(() => {});
  }

  /** Waits (bounded) for the totals, then asks the routes. */
  async checkApi(
    baseUrl: string,
    settleTimeoutMs: number,
  ): Promise<{ settled: boolean; diffs: TableDiff[] }> {
    const settled = await waitForMetricTotals(baseUrl, this.truth, settleTimeoutMs);
    const requests = this.counts().requests;
    return {
      settled,
      diffs: [
        answersDiff('POST /events, /events/batch-metrics (answers)', this.problems, requests),
        ...(await checkMetricApi(baseUrl, this.truth)),
      ],
    };
  }

  checkTables(clickhouseDir: string): Promise<TableDiff[]> {
    return checkMetricTables(clickhouseDir, this.truth);
  }

  counts(): MetricWorkloadCounts {
    return sum(
      this.workloads.map((w) => w.counts),
      { requests: 0, events: 0, fresh: 0, duplicates: 0, invalid: 0, simulated: 0, retriedAfterFailure: 0 },
    );
  }
}
