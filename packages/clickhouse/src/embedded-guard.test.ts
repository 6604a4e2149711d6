import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { describe, expect, test } from 'vitest';
import type { StatementPriority } from './client-types.ts';
import { createSerialSettingsGuard, INTERACTIVE_BURST } from './embedded-guard.ts';

/** A client whose only used method, `command`, records the SETs the guard issues. */
function fakeClient(failSet = () => false) {
  const log: string[] = [];
  const client = {
    command: async ({ query }: { query: string }) => {
      if (failSet()) throw new Error('SET failed');
      log.push(query);
      return {};
    },
  } as unknown as ClickHouseClient;
  return { client, log };
}

function deferred() {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

/** A guard with one statement in flight until `release`, so the next ones queue behind it. */
function blockedGuard(failSet?: () => boolean) {
  const { client, log } = fakeClient(failSet);
  const guard = createSerialSettingsGuard(client);
  const blocker = deferred();
  const inFlight = guard.run(undefined, () => blocker.done, { priority: 'bulk' });
  const statement = (name: string, priority: StatementPriority, settings?: ClickHouseSettings) =>
    guard.run(
      settings,
      async (applied) => {
        log.push(`${name}${applied ? ` ${JSON.stringify(applied)}` : ''}`);
        return name;
      },
      { priority },
    );
  return { guard, log, statement, release: blocker.release, inFlight };
}

describe('the embedded engine statement queue', () => {
  test('queued interactive statements run before queued bulk ones, FIFO within a priority', async () => {
    const { log, statement, release, inFlight } = blockedGuard();
    const all = [
      statement('bulk-1', 'bulk'),
      statement('read-1', 'interactive'),
      statement('bulk-2', 'bulk'),
      statement('read-2', 'interactive'),
    ];
    release();
    await inFlight;
    expect(await Promise.all(all)).toEqual(['bulk-1', 'read-1', 'bulk-2', 'read-2']);
    expect(log).toEqual(['read-1', 'read-2', 'bulk-1', 'bulk-2']);
  });

  test('one statement at a time: the one in flight is never pre-empted', async () => {
    const { client } = fakeClient();
    const guard = createSerialSettingsGuard(client);
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        guard.run(undefined, work, { priority: i % 3 ? 'interactive' : 'bulk' }),
      ),
    );
    expect(most).toBe(1);
  });

  test(`a waiting bulk statement runs after at most ${INTERACTIVE_BURST} interactive ones in a row`, async () => {
    const { log, statement, release, inFlight } = blockedGuard();
    const all = [
      statement('bulk-1', 'bulk'),
      ...Array.from({ length: INTERACTIVE_BURST + 2 }, (_, i) => statement(`read-${i + 1}`, 'interactive')),
    ];
    release();
    await inFlight;
    await Promise.all(all);
    const reads = Array.from({ length: INTERACTIVE_BURST }, (_, i) => `read-${i + 1}`);
    expect(log).toEqual([
      ...reads,
      'bulk-1',
      `read-${INTERACTIVE_BURST + 1}`,
      `read-${INTERACTIVE_BURST + 2}`,
    ]);
  });

  test('settings are reset right before the statement that runs next, whatever the queue order', async () => {
    const { log, statement, release, inFlight } = blockedGuard();
    const token: ClickHouseSettings = { insert_deduplication_token: 't1', insert_deduplicate: 1 };
    const all = [
      statement('insert-1', 'bulk', token),
      statement('insert-2', 'bulk', {
        insert_deduplication_token: 't2',
        insert_deduplicate: 1,
      } as ClickHouseSettings),
      statement('read', 'interactive'),
      statement('insert-3', 'bulk'),
    ];
    release();
    await inFlight;
    await Promise.all(all);
    expect(log).toEqual([
      // The read jumped the queue: nothing was set before it, so nothing to reset.
      'read',
      `insert-1 ${JSON.stringify(token)}`,
      // Same keys set again: nothing to reset.
      `insert-2 ${JSON.stringify({ insert_deduplication_token: 't2', insert_deduplicate: 1 })}`,
      // A statement without them: both reset first (an insert without a token is never dropped).
      'SET insert_deduplication_token = DEFAULT, insert_deduplicate = DEFAULT',
      'insert-3',
    ]);
  });

  test('a read that jumps ahead gets the settings of the statement before it reset', async () => {
    const { client, log } = fakeClient();
    const guard = createSerialSettingsGuard(client);
    const insertRunning = deferred();
    const token = { insert_deduplication_token: 't1' };
    const first = guard.run(
      token,
      async () => {
        log.push('insert-1');
        await insertRunning.done;
      },
      { priority: 'bulk' },
    );
    const queued = [
      guard.run(undefined, async () => void log.push('insert-2'), { priority: 'bulk' }),
      guard.run(undefined, async () => void log.push('read'), { priority: 'interactive' }),
    ];
    insertRunning.release();
    await Promise.all([first, ...queued]);
    expect(log).toEqual(['insert-1', 'SET insert_deduplication_token = DEFAULT', 'read', 'insert-2']);
  });

  test('a failed statement fails alone; the queue goes on in order', async () => {
    const { guard, log, statement, release, inFlight } = blockedGuard();
    const failing = guard.run(
      undefined,
      async () => {
        throw new Error('boom');
      },
      { priority: 'interactive' },
    );
    const next = [statement('read', 'interactive'), statement('bulk', 'bulk')];
    release();
    await inFlight;
    await expect(failing).rejects.toThrow('boom');
    expect(await Promise.all(next)).toEqual(['read', 'bulk']);
    expect(log).toEqual(['read', 'bulk']);
  });

  test('a failed reset fails its statement only; the next statement resets again', async () => {
    let failNextSet = false;
    const { log, statement, release, inFlight } = blockedGuard(() => {
      const fail = failNextSet;
      failNextSet = false;
      return fail;
    });
    release();
    await inFlight;
    await statement('insert-1', 'bulk', { insert_deduplication_token: 't1' });
    failNextSet = true;
    await expect(statement('read-1', 'interactive')).rejects.toThrow('SET failed');
    expect(await statement('read-2', 'interactive')).toBe('read-2');
    expect(log).toEqual([
      `insert-1 ${JSON.stringify({ insert_deduplication_token: 't1' })}`,
      'SET insert_deduplication_token = DEFAULT',
      'read-2',
    ]);
  });

  test('an invalid setting name is refused without running the statement', async () => {
    const { client } = fakeClient();
    const guard = createSerialSettingsGuard(client);
    let ran = false;
    await expect(
      guard.run({ 'bad name': 1 } as ClickHouseSettings, async () => {
        ran = true;
      }),
    ).rejects.toThrow('invalid setting name');
    expect(ran).toBe(false);
  });
});
