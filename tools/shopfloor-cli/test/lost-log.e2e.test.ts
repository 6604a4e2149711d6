import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { processesOf, processGone, waitUntilUp } from '@shopfloor/test-support';
import { describe, expect, it } from 'vitest';
import { ownBrokerAllInOnes, runShopfloor } from './system-env.ts';

// Issue 11's case, with the all-in-one start and its own local broker: the broker's data is lost
// while the ClickHouse data and the dedupe state stay. The start must refuse with an error that
// names the mismatch and the fix, the fix must work, and the answers afterwards must be right.
const allInOnes = ownBrokerAllInOnes('lost-log', 2);

const batch = [
  {
    eventId: 'L-1',
    eventTime: '2026-03-01T10:00:00Z',
    machineId: 'M-L',
    lineId: 'L',
    factoryId: 'F',
    durationMs: 10,
    defectCount: 2,
  },
  {
    eventId: 'L-2',
    eventTime: '2026-03-01T10:01:00Z',
    machineId: 'M-L',
    lineId: 'L',
    factoryId: 'F',
    durationMs: 10,
    defectCount: 1,
  },
];

async function post(url: string) {
  const res = await fetch(`${url}/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batch),
  });
  return (await res.json()) as { accepted: number; deduped: number };
}

async function stats(url: string) {
  const res = await fetch(`${url}/stats?machineId=M-L&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`);
  return (await res.json()) as { eventsCount: number; defectsCount: number };
}

describe('a lost log is refused at start-up, with the fix', () => {
  it('wipe the broker data, start: clear error; reset-derived; start: correct answers; SIGKILL: no orphan broker', async () => {
    const { dataDir, env, url } = await allInOnes.systemEnv();

    const first = allInOnes.spawn(env);
    await waitUntilUp(first, 240_000);
    expect(await post(url)).toMatchObject({ accepted: 2 });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    rmSync(path.join(dataDir, 'kafka'), { recursive: true, force: true });
    const refused = allInOnes.spawn(env);
    const started = Date.now();
    expect(await refused.exited).toBe(3);
    // The refusal comes once the schema registry, the topics and ClickHouse are up (the registry
    // alone takes 20-80 s here, more on a loaded machine).
    expect(Date.now() - started).toBeLessThan(180_000);
    const message = refused.output();
    expect(message).toContain(
      'Shopfloor refuses to start: the Kafka log and what was derived from it disagree',
    );
    expect(message).toMatch(
      /events\.change-batches has topic id \S+, but the ClickHouse projection was built from topic id/,
    );
    expect(message).toMatch(
      /events\.state partition \d: the dedupe state in .* is at offset \d+, but the log ends at 0/,
    );
    expect(message).toContain('pnpm shopfloor reset-derived --execute');

    const dry = await runShopfloor(['reset-derived'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would empty (dry-run; add --execute)');
    expect(existsSync(path.join(dataDir, 'state', 'default'))).toBe(true);
    const reset = await runShopfloor(['reset-derived', '--execute'], env);
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/emptied \d+ ClickHouse tables \(embedded\): .*event_changes/);
    expect(existsSync(path.join(dataDir, 'state', 'default'))).toBe(false);

    const fixed = allInOnes.spawn(env);
    await waitUntilUp(fixed, 240_000);
    // The batch is new to the new log: accepted, and counted once (the old rows are gone).
    expect(await post(url)).toMatchObject({ accepted: 2, deduped: 0 });
    expect(await stats(url)).toMatchObject({ eventsCount: 2, defectsCount: 3 });
    expect(await post(url)).toMatchObject({ accepted: 0, deduped: 2 });
    expect(await stats(url)).toMatchObject({ eventsCount: 2, defectsCount: 3 });

    // The all-in-one handed its pid to the broker's watchdog: killed, it leaves no broker behind.
    const brokerPid = Number(readFileSync(path.join(dataDir, 'kafka', 'broker.pid'), 'utf8').trim());
    expect(processGone(brokerPid)).toBe(false);
    fixed.child.kill('SIGKILL');
    await fixed.exited;
    const killedAt = Date.now();
    while (!processGone(brokerPid) && Date.now() - killedAt < 30_000)
      await new Promise((r) => setTimeout(r, 250));
    expect(processGone(brokerPid)).toBe(true);
    // The registry's watchdog follows the same pid: nothing naming the data dir is left.
    while (processesOf(dataDir).length > 0 && Date.now() - killedAt < 30_000)
      await new Promise((r) => setTimeout(r, 250));
    expect(processesOf(dataDir)).toEqual([]);
  }, 600_000);
});
