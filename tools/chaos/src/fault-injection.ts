// The "exactly once under crashes" harness: the pipeline as separate processes on a broker of its
// own, a seeded workload posted over HTTP (duplicates, corrections, retries until acknowledged),
// SIGKILLs of the gateway, the consumers and the projector at random moments, broker restarts; then
// every table, rollup and API answer compared exactly with a ground truth computed here.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkApi, type Quiescence, waitForQuiescence } from './api-check.ts';
import { ChaosCluster, EVENT_ROLES, type Role } from './chaos-cluster.ts';
import type { TableDiff } from './diff.ts';
import { planFaults } from './fault-plan.ts';
import { ExpectedState } from './ground-truth.ts';
import { emptyPostStats, runClient } from './machine-clients.ts';
import { type FaultInjectionReport, faultFigures, findingsOf } from './run-report.ts';
import { detectorConfigOf, MetricStreamRun, SensorStreamRun } from './stream-runs.ts';
import { checkTables } from './table-check.ts';
import { ClientWorkload, plantLayout, type WorkloadCounts } from './workload.ts';

export type { BrokerPlan, KillPlan } from './fault-plan.ts';
export { planFaults } from './fault-plan.ts';
export type { FaultInjectionReport } from './run-report.ts';

export interface FaultInjectionOptions {
  seed: number;
  /** How long the workload is spread over, and the window the faults are scheduled in. */
  durationS: number;
  /** Events posted in all (duplicates and corrections included). */
  events: number;
  /** SIGKILLs in all, spread over gateway, both consumers and the projector. */
  kills: number;
  brokerRestarts: number;
  /** Sensor readings posted in all through the webhook (duplicates and invalid ones included). Default 0. */
  sensorReadings?: number;
  /** Metric events posted in all (duplicates, invalid ones and simulated failures included). Default 0. */
  metricEvents?: number;
  /** Concurrent clients of each of those two streams. Default 2. */
  streamClients?: number;
  /** Concurrent machine clients (each posts sequentially). Default 4. */
  clients?: number;
  minBatch?: number;
  maxBatch?: number;
  partitions?: number;
  duplicates?: number;
  corrections?: number;
  /** Bound on waiting for the pipeline to settle after the workload. Default 240 s. */
  settleTimeoutS?: number;
  /** Give up settling when the totals have not moved for this long. Default 75 s (> a session timeout). */
  settleStallS?: number;
  /**
   * How long a client re-sends one request before the run fails with that request named. Default
   * 300 s. A bounded test sets it well under its own timeout, so that a stuck stream fails with
   * a message and the logs of every process instead of a test timeout.
   */
  requestGiveUpS?: number;
  /** Keep the work dir (data, logs) even when the run passes. */
  keepWorkDir?: boolean;
  /** Where to create the work dir. Default: the OS temp dir. */
  workRoot?: string;
  echo?: boolean;
  /** Extra environment for every service, e.g. { SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: '10000' }. */
  serviceEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export async function runFaultInjection(options: FaultInjectionOptions): Promise<FaultInjectionReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[chaos] ${line}\n`));
  const durationMs = options.durationS * 1000;
  const clients = options.clients ?? 4;
  const workDir = mkdtempSync(path.join(options.workRoot ?? tmpdir(), 'shopfloor-chaos-'));
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const mark = (what: string) => {
    timings[what] = Math.round((Date.now() - t0) / 100) / 10;
  };
  const failures: string[] = [];
  const posting = emptyPostStats();
  const tag = `chaos${options.seed}`;
  const layout = plantLayout(tag);
  const machines = layout.places.map((p) => p.machineId);
  const workloads = Array.from(
    { length: clients },
    (_, i) =>
      new ClientWorkload(`${tag}-c${i + 1}`, options.seed * 31 + i, layout.places, {
        ...(options.duplicates !== undefined ? { duplicates: options.duplicates } : {}),
        ...(options.corrections !== undefined ? { corrections: options.corrections } : {}),
      }),
  );
  const streamOptions = {
    tag,
    seed: options.seed,
    durationMs,
    clients: options.streamClients ?? 2,
    giveUpMs: (options.requestGiveUpS ?? 300) * 1000,
  };
  const sensorRun =
    (options.sensorReadings ?? 0) > 0
      ? new SensorStreamRun(
          { ...streamOptions, readings: options.sensorReadings ?? 0 },
          detectorConfigOf(options.serviceEnv),
        )
      : undefined;
  const metricRun =
    (options.metricEvents ?? 0) > 0
      ? new MetricStreamRun({ ...streamOptions, events: options.metricEvents ?? 0 })
      : undefined;
  let sensorDiffs: TableDiff[] = [];
  let metricDiffs: TableDiff[] = [];
  let metricSettled = false;
  const roles: Role[] = [
    ...EVENT_ROLES,
    ...(sensorRun ? (['sensors'] as const) : []),
    ...(metricRun ? (['metric-events'] as const) : []),
  ];
  const plan = planFaults(options.seed, durationMs, options.kills, options.brokerRestarts, roles);
  log(
    `seed ${options.seed}: ${options.events} events over ${options.durationS} s by ${clients} clients; ` +
      `${plan.kills.length} kills, ${plan.broker.length} broker restarts; work dir ${workDir}`,
  );

  let cluster: ChaosCluster | undefined;
  let started: ChaosCluster | undefined;
  let quiescence: Quiescence | undefined;
  let api: TableDiff[] = [];
  let tables: TableDiff[] = [];
  let truth: ExpectedState | undefined;
  try {
    cluster = await ChaosCluster.start({
      workDir,
      partitions: options.partitions ?? 6,
      roles,
      log,
      ...(options.serviceEnv ? { serviceEnv: options.serviceEnv } : {}),
      ...(options.echo ? { echo: true } : {}),
    });
    const c = cluster;
    started = cluster;
    mark('started');
    log(`cluster up (topic prefix ${c.prefix}) in ${timings.started} s`);

    // The machines.
    const runStart = Date.now();
    const quota = Math.ceil(options.events / clients);
    const stopSignal = { stop: false };
    const machinesDone = Promise.all(
      workloads.map((workload, i) =>
        runClient({
          url: `${c.gatewayUrl}/events/batch?mode=async`,
          workload,
          quota: Math.min(quota, options.events - i * quota),
          durationMs,
          minBatch: options.minBatch ?? 20,
          maxBatch: options.maxBatch ?? 250,
          seed: options.seed * 17 + i,
          stats: posting,
          giveUpMs: (options.requestGiveUpS ?? 300) * 1000,
          stopSignal,
        }),
      ),
    ).finally(() => mark('workload posted'));
    const sensorsDone = sensorRun?.run(c.sensorsUrl).finally(() => mark('sensor readings posted'));
    const metricsDone = metricRun?.run(c.metricEventsUrl).finally(() => mark('metric events posted'));

    // The faults: per process in order (the next kill waits for the restarted process to be ready),
    // different processes concurrently. Kills wait while the broker is down, so running processes
    // have to ride out the outage by themselves.
    const due = (atMs: number) => sleep(Math.max(0, runStart + atMs - Date.now()));
    const killLoops = roles.map(async (role) => {
      for (const k of plan.kills.filter((p) => p.role === role)) {
        await due(k.atMs);
        await c.broker.up();
        await c.services[role].idle();
        await c.services[role].killAndRestart(k.restartDelayMs);
      }
    });
    const brokerLoop = (async () => {
      for (const b of plan.broker) {
        await due(b.atMs);
        await c.broker.restart(b.downMs);
      }
    })();
    const faultsDone = Promise.all([...killLoops, brokerLoop]).finally(() => mark('faults done'));

    const [machinesResult, faultsResult, sensorsResult, metricsResult] = await Promise.allSettled([
      machinesDone,
      faultsDone,
      sensorsDone,
      metricsDone,
    ]);
    stopSignal.stop = true;
    if (machinesResult.status === 'rejected')
      failures.push(`workload: ${(machinesResult.reason as Error).message}`);
    if (sensorsResult.status === 'rejected')
      failures.push(`sensor readings: ${(sensorsResult.reason as Error).message}`);
    if (metricsResult.status === 'rejected')
      failures.push(`metric events: ${(metricsResult.reason as Error).message}`);
    if (faultsResult.status === 'rejected')
      failures.push(`fault injection: ${(faultsResult.reason as Error).message}`);
    await Promise.all(roles.map((r) => c.services[r].idle()));

    // The ground truth: the last acknowledged version of every eventId.
    truth = new ExpectedState(workloads.flatMap((w) => [...w.current.values()]));
    log(
      `workload done: ${posting.requests} requests (${posting.retries} retries); waiting for ${truth.events.size} events to settle`,
    );
    quiescence = await waitForQuiescence({
      base: c.projectorUrl,
      machines,
      truth,
      timeoutMs: (options.settleTimeoutS ?? 240) * 1000,
      stallMs: (options.settleStallS ?? 75) * 1000,
      log,
    });
    mark('settled');
    if (!quiescence.converged)
      failures.push(
        `the API totals did not reach the truth within the bound (last per-machine totals: ${quiescence.last}; expected: ${quiescence.expected})`,
      );
    api = await checkApi({ base: c.projectorUrl, machines, factories: layout.factories, truth });
    mark('api checked');
    if (metricRun) {
      const checked = await metricRun.checkApi(c.metricEventsUrl, (options.settleTimeoutS ?? 240) * 1000);
      metricSettled = checked.settled;
      metricDiffs = checked.diffs;
      if (!metricSettled)
        failures.push('metric events: the aggregates did not reach the truth within the bound');
      mark('metric api checked');
    }
    await c.stop();
    cluster = undefined;
    mark('stopped');
    tables = await checkTables(path.join(c.dataDir, 'clickhouse'), truth);
    mark('tables checked');
    if (sensorRun) sensorDiffs = await sensorRun.check(path.join(c.sensorsDataDir, 'clickhouse'));
    if (metricRun)
      metricDiffs = [
        ...metricDiffs,
        ...(await metricRun.checkTables(path.join(c.metricEventsDataDir, 'clickhouse'))),
      ];
    mark('stream tables checked');
  } catch (err) {
    failures.push(`harness: ${(err as Error).stack ?? (err as Error).message}`);
  } finally {
    if (cluster) await cluster.stop().catch((err) => failures.push(`stop: ${(err as Error).message}`));
  }

  for (const d of [...api, ...tables, ...sensorDiffs, ...metricDiffs]) {
    if (d.differences > 0) failures.push(`${d.table}: ${d.differences} differences`);
  }
  const counts = workloads.reduce<WorkloadCounts>(
    (acc, w) => {
      for (const k of Object.keys(acc) as (keyof WorkloadCounts)[]) acc[k] += w.counts[k];
      return acc;
    },
    { batches: 0, events: 0, fresh: 0, duplicates: 0, corrections: 0, moved: 0, invalid: 0 },
  );
  const ok = failures.length === 0;
  const kept = !ok || options.keepWorkDir === true;
  if (!kept) rmSync(workDir, { recursive: true, force: true });
  return {
    ok,
    seed: options.seed,
    workDir,
    kept,
    workload: {
      ...counts,
      distinctEventIds: workloads.reduce((n, w) => n + w.current.size, 0),
      clients,
    },
    posting,
    faults: faultFigures(started, plan.kills.length),
    findings: findingsOf(started),
    quiescence,
    api,
    tables,
    ...(sensorRun
      ? {
          sensors: {
            counts: sensorRun.counts(),
            posting: sensorRun.posting,
            figures: sensorRun.figures,
            alerts: sensorRun.truth.alerts.size,
            resolved: sensorRun.truth.resolved.size,
            diffs: sensorDiffs,
          },
        }
      : {}),
    ...(metricRun
      ? {
          metricEvents: {
            counts: metricRun.counts(),
            posting: metricRun.posting,
            counted: metricRun.truth.counted.size,
            failures: metricRun.truth.failures.size,
            settled: metricSettled,
            diffs: metricDiffs,
          },
        }
      : {}),
    failures,
    timings,
  };
}
