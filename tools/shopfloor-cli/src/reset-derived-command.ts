import { existsSync } from 'node:fs';
import { openClickHouse } from '@shopfloor/clickhouse';
import { requestStateReset, type StateResetSource } from '@shopfloor/consumer';
import { describeCluster, describeGroup } from '@shopfloor/kafka';
import { derivedTables, removeStateDir, truncateDerivedTables } from '@shopfloor/ops/clickhouse';
import type { CliContext } from './cli-context.ts';
import { CliError } from './output.ts';
import { type StreamLayout, streamLayouts } from './streams.ts';

/** One processor's local state on this host, and what the reset does to it. */
export type StateReset = {
  stream: StreamLayout['name'];
  dir: string;
  /** `remove`: restored from its changelog at the next start; `recompute`: the dedupe state from events.raw. */
  action: 'remove' | 'recompute';
};

export type ResetPlan = {
  executed: boolean;
  clickhouse: { mode: string; tables: string[] } | null;
  /** The dedupe state's folder when it is reset (kept for scripts reading it; see `states`). */
  stateDir: string | null;
  /** Where the dedupe state is rebuilt from at the next start: events.state, or events.raw. */
  stateFrom: StateResetSource;
  /** Every processor state reset on this host (the sensor windows live in memory: none on disk). */
  states: StateReset[];
};

/**
 * Empties the stores derived from the log, for the three streams (events, sensors, metric-events),
 * so they are derived again from the log the services start on next: the ClickHouse tables (every
 * stream's, `sink_offsets` and `log_identity` included; at their next start the projectors find
 * their projection empty and move their groups back to the start of their logs) and this host's
 * processor state (the dedupe state, the metric-events identities). Right for a lost or re-created
 * log and for a full re-derivation from an intact one. Dry-run unless `execute`. Refuses while a
 * member of any stream's group runs (the embedded ClickHouse belongs to the running process).
 */
export async function resetDerived(
  ctx: CliContext,
  options: { execute: boolean; only?: 'clickhouse' | 'state'; stateFrom?: StateResetSource },
): Promise<ResetPlan> {
  const { config } = ctx;
  const streams = streamLayouts(config);
  // With the broker down nothing can be consuming; with it up, its groups tell who runs.
  const brokerUp = await describeCluster(ctx.brokers, { timeoutMs: 2_000 }).then(
    () => true,
    () => false,
  );
  const groups = streams.flatMap((s) => [s.processor.group, ...s.projectors.map((p) => p.group)]);
  for (const group of brokerUp ? groups : []) {
    const described = await describeGroup(ctx.kafka, group);
    if (described && described.members > 0)
      throw new CliError(
        `group ${group} has ${described.members} running member(s): stop every Shopfloor process first`,
      );
  }
  const stateFrom = options.stateFrom ?? 'changelog';
  const plan: ResetPlan = {
    executed: options.execute,
    clickhouse: null,
    stateDir: null,
    stateFrom,
    states: [],
  };
  if (options.only !== 'state') {
    const ch = await openClickHouse(config.clickhouse).catch((err: Error) => {
      throw new CliError(
        `cannot open ClickHouse (${config.CLICKHOUSE_URL ?? config.dirs.clickhouse}): ${err.message}`,
      );
    });
    try {
      const tables = options.execute
        ? await truncateDerivedTables(ch.writer)
        : await derivedTables(ch.writer);
      plan.clickhouse = { mode: ch.mode, tables };
    } finally {
      await ch.close();
    }
  }
  if (options.only === 'clickhouse') return plan;
  for (const s of streams) {
    const dir = s.localStateDir;
    if (dir === null) continue;
    if (s.name === 'events' && stateFrom === 'raw') {
      // Recomputing from events.raw needs the broker and the process's own store: the process does
      // it at its next start (the same request POST /admin/dedupe-state/reset writes).
      plan.states.push({ stream: s.name, dir, action: 'recompute' });
      if (options.execute) await requestStateReset(dir, 'raw');
    } else if (existsSync(dir)) {
      plan.states.push({ stream: s.name, dir, action: 'remove' });
      if (options.execute) removeStateDir(dir);
    }
  }
  plan.stateDir = plan.states.find((s) => s.stream === 'events')?.dir ?? null;
  return plan;
}

/** The lines `reset-derived` prints about the processor states. */
export function stateLines(plan: ResetPlan): string[] {
  if (plan.states.length === 0) return ['processor state: none on this host'];
  return plan.states.map((s) => {
    const changelog = s.stream === 'events' ? 'events.state' : `the ${s.stream} changelog`;
    if (s.action === 'recompute')
      return `${plan.executed ? 'requested' : 'would request'} a rebuild of the dedupe state ${s.dir} from events.raw at the next start`;
    return `${plan.executed ? 'removed' : 'would remove'} the ${s.stream === 'events' ? 'dedupe' : s.stream} state ${s.dir} (restored from ${changelog} at the next start)`;
  });
}
