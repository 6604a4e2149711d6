import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRequestedStateReset } from '@shopfloor/consumer';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliContext } from './cli-context.ts';
import { resetDerived } from './reset-derived-command.ts';

// Only the dedupe-state half (no ClickHouse is opened with --only state); no broker listens on
// port 1, so the command sees no running member, as after every process was stopped.
const dirs: string[] = [];
function contextWithState() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sf-reset-'));
  dirs.push(dataDir);
  const ctx = createCliContext({}, { SHOPFLOOR_DATA_DIR: dataDir, KAFKA_BROKERS: '127.0.0.1:1' }, () => {});
  mkdirSync(ctx.config.dirs.state, { recursive: true });
  writeFileSync(join(ctx.config.dirs.state, 'data.mdb'), 'store');
  return ctx;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

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
