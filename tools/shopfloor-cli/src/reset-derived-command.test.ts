import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRequestedStateReset } from '@shopfloor/consumer';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliContext } from './cli-context.ts';
import { resetDerived } from './reset-derived-command.ts';
import { streamLayouts } from './streams.ts';

// Only the processor-state half (no ClickHouse is opened with --only state); no broker listens on
// port 1, so the command sees no running member, as after every process was stopped.
const dirs = tempDirs('sf-reset-');
function contextWithState() {
  const dataDir = dirs.make();
  const ctx = createCliContext({}, { SHOPFLOOR_DATA_DIR: dataDir, KAFKA_BROKERS: '127.0.0.1:1' }, () => {});
  mkdirSync(ctx.config.dirs.state, { recursive: true });
  writeFileSync(join(ctx.config.dirs.state, 'data.mdb'), 'store');
  return ctx;
}
/** The metric-events processor's LMDB folder of the same host, with a store in it. */
function withMetricState(ctx: ReturnType<typeof contextWithState>) {
  const dir = streamLayouts(ctx.config).find((s) => s.name === 'metric-events')!.localStateDir!;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.mdb'), 'store');
  return dir;
}
afterEach(dirs.removeAll);

describe('reset-derived --only state', () => {
  it('dry-run names the store and changes nothing', async () => {
    const ctx = contextWithState();
    const plan = await resetDerived(ctx, { execute: false, only: 'state', stateFrom: 'raw' });
    expect(plan).toMatchObject({
      executed: false,
      clickhouse: null,
      stateDir: ctx.config.dirs.state,
      stateFrom: 'raw',
    });
    expect(await applyRequestedStateReset(ctx.config.dirs.state, async () => undefined)).toBeUndefined();
  });

  it('--state-from changelog removes the local store', async () => {
    const ctx = contextWithState();
    const plan = await resetDerived(ctx, { execute: true, only: 'state' });
    expect(plan.stateFrom).toBe('changelog');
    expect(existsSync(ctx.config.dirs.state)).toBe(false);
  });

  it('covers the metric-events state too (the sensor windows live in memory: nothing on disk)', async () => {
    const ctx = contextWithState();
    const metricDir = withMetricState(ctx);
    const dry = await resetDerived(ctx, { execute: false, only: 'state' });
    expect(dry.states).toEqual([
      { stream: 'events', dir: ctx.config.dirs.state, action: 'remove' },
      { stream: 'metric-events', dir: metricDir, action: 'remove' },
    ]);
    expect(existsSync(metricDir)).toBe(true);
    // --state-from raw is about the dedupe state; the metric state is restored from its changelog.
    const done = await resetDerived(ctx, { execute: true, only: 'state', stateFrom: 'raw' });
    expect(done.states.map((s) => [s.stream, s.action])).toEqual([
      ['events', 'recompute'],
      ['metric-events', 'remove'],
    ]);
    expect(existsSync(metricDir)).toBe(false);
  });

  it('--state-from raw leaves a request the process applies at its next start, from events.raw', async () => {
    const ctx = contextWithState();
    await resetDerived(ctx, { execute: true, only: 'state', stateFrom: 'raw' });
    let recomputed = 0;
    const applied = await applyRequestedStateReset(ctx.config.dirs.state, async () => {
      recomputed += 1;
    });
    expect(applied).toBe('raw');
    expect(recomputed).toBe(1);
    // Applied once: the request is gone, and so is the store it replaced.
    expect(await applyRequestedStateReset(ctx.config.dirs.state, async () => undefined)).toBeUndefined();
    expect(existsSync(join(ctx.config.dirs.state, 'data.mdb'))).toBe(false);
  }, 20_000);
});
