import { existsSync } from 'node:fs';
import { openClickHouse } from '@shopfloor/clickhouse';
import { requestStateReset, type StateResetSource } from '@shopfloor/consumer';
import { describeCluster, describeGroup } from '@shopfloor/kafka';
import { derivedTables, removeStateDir, truncateDerivedTables } from '@shopfloor/ops';
import type { CliContext } from './cli-context.ts';
import { CliError } from './output.ts';

export type ResetPlan = {
  executed: boolean;
  clickhouse: { mode: string; tables: string[] } | null;
  stateDir: string | null;
  /** Where the dedupe state is rebuilt from at the next start: events.state, or events.raw. */
  stateFrom: StateResetSource;
};

/**
 * Empties the stores derived from the log (the ClickHouse tables and this host's dedupe state),
 * so they are rebuilt from the log the services start on next: the fix for a log that was lost or
 * re-created while the derived data stayed. Dry-run unless `execute`. Refuses while a dedupe or
 * projector member is running (the embedded ClickHouse belongs to the running process).
 */
export async function resetDerived(
  ctx: CliContext,
  options: { execute: boolean; only?: 'clickhouse' | 'state'; stateFrom?: StateResetSource },
): Promise<ResetPlan> {
  const { config } = ctx;
  // With the broker down nothing can be consuming; with it up, its groups tell who runs.
  const brokerUp = await describeCluster(ctx.brokers, { timeoutMs: 2_000 }).then(
    () => true,
    () => false,
  );
  for (const group of brokerUp ? [config.SHOPFLOOR_DEDUPE_GROUP, config.SHOPFLOOR_PROJECTOR_GROUP] : []) {
    const described = await describeGroup(ctx.kafka, group);
    if (described && described.members > 0)
      throw new CliError(
        `group ${group} has ${described.members} running member(s): stop every Shopfloor process first`,
      );
  }
  const stateFrom = options.stateFrom ?? 'changelog';
  const plan: ResetPlan = { executed: options.execute, clickhouse: null, stateDir: null, stateFrom };
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
  if (options.only !== 'clickhouse' && stateFrom === 'raw') {
    // Recomputing from events.raw needs the broker and the process's own store: the process does
    // it at its next start (the same request POST /admin/dedupe-state/reset writes).
    plan.stateDir = config.dirs.state;
    if (options.execute) await requestStateReset(config.dirs.state, 'raw');
  } else if (options.only !== 'clickhouse' && existsSync(config.dirs.state)) {
    plan.stateDir = config.dirs.state;
    if (options.execute) removeStateDir(config.dirs.state);
  }
  return plan;
}
