import { loadConfig } from '@shopfloor/config';
import { fetchCommittedOffsets } from '@shopfloor/kafka';
import { type ShopfloorSystem, startShopfloor } from '@shopfloor/standalone';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, createCliContext } from '../src/cli-context.ts';
import { buildProgram } from '../src/commands.ts';
import { listDeadLetters, retryDeadLetters, showDeadLetter } from '../src/dead-letters.ts';
import { replayGroup } from '../src/replay.ts';
import { collectStatus } from '../src/status.ts';
import { suiteSystemEnv } from './system-env.ts';

// The operator commands against the whole system running in this process on the suite's broker
// (topics and groups of its own). The command's functions are called as `shopfloor` calls them.
const { prefix, env, removeDataDir } = suiteSystemEnv('ops', { partitions: 3 });
let system: ShopfloorSystem | undefined;
let ctx: CliContext;

const event = (eventId: string, overrides: Record<string, unknown> = {}) => ({
  eventId,
  eventTime: '2026-03-01T10:00:00Z',
  machineId: 'M-1',
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 1000,
  defectCount: 1,
  ...overrides,
});

async function post(events: unknown[]) {
  const res = await fetch(`${system!.url}/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  system = await startShopfloor(loadConfig(env), pino({ level: 'warn' }), { demo: false });
  ctx = createCliContext({ url: system.url }, env, () => {});
});

afterAll(async () => {
  await system?.stop();
  removeDataDir();
});

describe('shopfloor commands against a running system', () => {
  let batchId: string;

  it('/health answers alive; /ready lists its probes and is 200 once they hold', async () => {
    expect((await fetch(`${system!.url}/health`)).status).toBe(200);
    // Ready once the dedupe member restored the state of its partitions (started at its group join).
    await expect
      .poll(async () => (await fetch(`${system!.url}/ready`)).status, { timeout: 60_000 })
      .toBe(200);
    const ready = await fetch(`${system!.url}/ready`);
    const body = (await ready.json()) as any;
    expect(ready.status).toBe(200);
    expect(body.checks.map((c: { name: string }) => c.name)).toEqual([
      'broker',
      'topics',
      'clickhouse',
      'dedupe',
      'sensors',
    ]);
  });

  it('status: lag per group and partition, projector position, state entries, dead letters, reachability', async () => {
    const answer = await post([
      event('E-1'),
      event('E-2'),
      event('E-3'),
      event('E-bad', { durationMs: -5 }),
      event('E-future', { eventTime: '2099-01-01T00:00:00Z' }),
    ]);
    expect(answer.body).toMatchObject({ accepted: 3, rejected: 2 });
    batchId = answer.body.batchId;
    // Sync answers come once the outcome is visible: the dedupe group committed, the projector applied.
    const status = await collectStatus(ctx);
    expect(status.broker.reachable).toBe(true);
    expect(status.system.reachable).toBe(true);
    expect(status.clickhouse).toEqual({ reachable: true, mode: 'embedded' });
    const dedupe = status.groups.find((g) => g.group === `${prefix}dedupe`)!;
    expect(dedupe.members).toBe(1);
    expect(dedupe.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    // The raw topic is written without transactions: a caught-up group has lag 0 everywhere.
    expect(dedupe.lag).toBe('0');
    const rawEnds = dedupe.partitions.reduce((n, p) => n + BigInt(p.logEnd), 0n);
    expect(rawEnds).toBe(3n);
    const projector = status.groups.find((g) => g.group === `${prefix}projector`)!;
    expect(projector.partitions.map((p) => p.topic)).toContain(`${prefix}events.dlq`);
    expect(status.projector.length).toBeGreaterThan(0);
    expect(status.projector.find((p) => p.topic === `${prefix}events.dlq`)?.appliedUpTo).toBe('1');
    // Entries counted from the changelog (every member's state) agree with what the member holds.
    const dedupeState = status.state.filter((s) => s.stream === 'events');
    expect(dedupeState.reduce((n, s) => n + (s.entries ?? 0), 0)).toBe(3);
    expect(dedupeState.map((s) => s.entries)).toEqual(dedupeState.map((s) => s.held));
    expect(status.stateEntriesError).toBeUndefined();
    expect(status.deadLetters.find((d) => d.stream === 'events')).toEqual({
      stream: 'events',
      topic: `${prefix}events.dlq`,
      inLog: '2',
      inClickHouse: 2,
    });
    expect(status.registry).toEqual({ url: `${env.SCHEMA_REGISTRY_URL}/subjects`, reachable: true });
  });

  it('dead-letters list / show / retry: re-submitted through the gateway, linked and marked', async () => {
    const listed = await listDeadLetters(ctx, { batchId, limit: 10 });
    expect(listed.map((d) => [d.seq, d.eventId, d.reason, d.retriedAs])).toEqual([
      [3, 'E-bad', 'INVALID_DURATION', null],
      [4, 'E-future', 'FUTURE_EVENT_TIME', null],
    ]);
    const shown = await showDeadLetter(ctx, batchId, 3);
    expect(JSON.parse(shown.payload)).toEqual(event('E-bad', { durationMs: -5 }));
    await expect(showDeadLetter(ctx, batchId, 0)).rejects.toThrow(/no dead letter/);

    const retry = await retryDeadLetters(ctx, batchId, [3, 4]);
    expect(retry.status).toBe(200);
    // The gateway's rules apply again: still invalid, so rejected again, in the new batch.
    expect(retry.answer).toMatchObject({ accepted: 0, rejected: 2 });
    expect(retry.retriedAs).not.toBe(batchId);
    const after = await listDeadLetters(ctx, { batchId, limit: 10 });
    expect(after.map((d) => d.retriedAs)).toEqual([`${retry.retriedAs}#0`, `${retry.retriedAs}#1`]);
    const again = await listDeadLetters(ctx, { batchId: retry.retriedAs, limit: 10 });
    expect(again.map((d) => d.eventId)).toEqual(['E-bad', 'E-future']);
  });

  it('rebuild: progress printed, the projection switched, the same answers after it', async () => {
    const statsUrl = `${ctx.url}/stats?machineId=M-1&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`;
    const before = await (await fetch(statsUrl)).json();
    const lines: string[] = [];
    await buildProgram(() => ({ ...ctx, out: (line) => lines.push(line) })).parseAsync([
      'node',
      'shopfloor',
      'rebuild',
    ]);
    expect(lines.join('\n')).toMatch(/records · .* records\/s · ETA/);
    expect(lines.join('\n')).toMatch(
      /rebuild succeeded \(events, sensors, metric-events\): \d+ records re-projected/,
    );
    expect(await (await fetch(statsUrl)).json()).toEqual(before);
  });

  it('replay refuses while the group has members, then moves it after the system stopped (dry-run first)', async () => {
    const group = `${prefix}dedupe`;
    await expect(replayGroup(ctx, { group, target: { kind: 'earliest' }, execute: false })).rejects.toThrow(
      /has 1 active member/,
    );
    await system!.stop();
    system = undefined;
    const before = await fetchCommittedOffsets(ctx.kafka, group, [`${prefix}events.raw`]);
    const dry = await replayGroup(ctx, { group, target: { kind: 'earliest' }, execute: false });
    expect(dry.executed).toBe(false);
    expect(dry.moves.every((m) => m.to === '0')).toBe(true);
    expect(dry.moves.map((m) => m.from)).toEqual(before.map((b) => b.offset?.toString() ?? null));
    expect(await fetchCommittedOffsets(ctx.kafka, group, [`${prefix}events.raw`])).toEqual(before);

    const done = await replayGroup(ctx, { group, target: { kind: 'offset', offset: 1n }, execute: true });
    const moved = await fetchCommittedOffsets(ctx.kafka, group, [`${prefix}events.raw`]);
    expect(moved.map((m) => m.offset?.toString())).toEqual(done.moves.map((m) => m.to));
    expect(done.moves.every((m) => BigInt(m.to) <= 1n)).toBe(true);

    const future = await replayGroup(ctx, {
      group,
      target: { kind: 'time', timestampMs: Date.now() + 60_000 },
      execute: false,
    });
    // No record at or after a future instant: every partition goes to its log end.
    const ends = (await collectStatus(ctx)).groups
      .find((g) => g.group === group)!
      .partitions.map((p) => p.logEnd);
    expect(future.moves.map((m) => m.to)).toEqual(ends);
  });
});
