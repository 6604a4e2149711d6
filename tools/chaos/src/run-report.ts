// What a fault-injection run reports: the workload, the faults as they happened, and every
// comparison of every stream with its truth.
import type { Quiescence } from './api-check.ts';
import { type ChaosCluster, ROLES, type Role } from './chaos-cluster.ts';
import type { TableDiff } from './diff.ts';
import type { PostStats } from './machine-clients.ts';
import type { MetricStreamRun, SensorStreamRun } from './stream-runs.ts';
import type { WorkloadCounts } from './workload.ts';

export interface FaultInjectionReport {
  ok: boolean;
  seed: number;
  workDir: string;
  kept: boolean;
  workload: WorkloadCounts & { distinctEventIds: number; clients: number };
  /** Requests, retries and why attempts failed. */
  posting: PostStats;
  faults: {
    planned: number;
    kills: Record<Role, number>;
    brokerRestarts: number;
    unexpectedExits: Record<Role, number>;
    startFailures: Record<Role, number>;
    maxRecoveryMs: Record<Role, number>;
  };
  /** Not differences, but worth a look: processes that exited without being killed. */
  findings: string[];
  quiescence: Quiescence | undefined;
  api: TableDiff[];
  tables: TableDiff[];
  /** The sensor readings stream (absent when none were posted). */
  sensors?: {
    counts: ReturnType<SensorStreamRun['counts']>;
    posting: PostStats;
    figures: SensorStreamRun['figures'];
    alerts: number;
    resolved: number;
    diffs: TableDiff[];
  };
  /** The metric-events stream (absent when none were posted). */
  metricEvents?: {
    counts: ReturnType<MetricStreamRun['counts']>;
    posting: PostStats;
    counted: number;
    failures: number;
    settled: boolean;
    diffs: TableDiff[];
  };
  failures: string[];
  timings: Record<string, number>;
}

const perRole = <T>(f: (role: Role) => T) =>
  Object.fromEntries(ROLES.map((r) => [r, f(r)])) as Record<Role, T>;

export function faultFigures(
  cluster: ChaosCluster | undefined,
  planned: number,
): FaultInjectionReport['faults'] {
  const s = cluster?.services;
  return {
    planned,
    kills: perRole((r) => s?.[r].kills ?? 0),
    brokerRestarts: cluster?.broker.restarts ?? 0,
    unexpectedExits: perRole((r) => s?.[r].unexpectedExits.length ?? 0),
    startFailures: perRole((r) => s?.[r].startFailures.length ?? 0),
    maxRecoveryMs: perRole((r) => Math.max(0, ...(s?.[r].recoveryMs ?? []))),
  };
}

/** Processes that exited by themselves (e.g. could not ride out the broker outage), with their last lines. */
export function findingsOf(cluster: ChaosCluster | undefined): string[] {
  if (!cluster) return [];
  return ROLES.flatMap((r) =>
    cluster.services[r].unexpectedExits.map(
      (e) => `${r}#${e.generation} exited by itself at ${e.at} (${e.code ?? e.signal}):\n${e.tail}`,
    ),
  );
}
