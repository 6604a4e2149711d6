import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STOP_DEADLINE_MS } from '@shopfloor/standalone';
import { processesOf, processGone, waitUntilUp } from '@shopfloor/test-support';
import { describe, expect, it } from 'vitest';
import { ownBrokerAllInOnes } from './system-env.ts';

// Issue 11: a stop under load finishes within its deadline (drain, then close). The all-in-one
// start runs as a child process with its own broker and registry; machines post batches (sync and
// async) while it gets SIGTERM. It must exit 0 within STOP_DEADLINE_MS and leave no broker or
// registry behind; after a restart, with the unacknowledged batches posted again (as machines do),
// every event is counted exactly once.
const allInOnes = ownBrokerAllInOnes('stop-load', 3);

const MACHINE = 'M-STOP';
const BATCH = 100;
type Batch = { id: string; events: Record<string, unknown>[] };

function batchOf(client: number, n: number): Batch {
  const id = `${client}-${n}`;
  return {
    id,
    events: Array.from({ length: BATCH }, (_, j) => ({
      eventId: `S-${id}-${j}`,
      eventTime: new Date(Date.UTC(2026, 2, 1, 10, 0, 0) + ((n * BATCH + j) % 3_600_000)).toISOString(),
      machineId: MACHINE,
      lineId: 'L-STOP',
      factoryId: 'F-STOP',
      durationMs: 10,
      defectCount: 1,
    })),
  };
}

/** Posts; true when the batch was acknowledged (200: decided; 202: durable in Kafka). */
async function post(url: string, batch: Batch, mode: 'sync' | 'async'): Promise<boolean> {
  try {
    const res = await fetch(`${url}/events/batch${mode === 'async' ? '?mode=async' : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.events),
      signal: AbortSignal.timeout(20_000),
    });
    await res.arrayBuffer();
    return res.status === 200 || res.status === 202;
  } catch {
    return false; // connection refused or reset: not acknowledged, posted again later
  }
}

async function eventsCount(url: string): Promise<number> {
  const res = await fetch(
    `${url}/stats?machineId=${MACHINE}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`,
  );
  return ((await res.json()) as { eventsCount: number }).eventsCount;
}

describe('a stop under load', () => {
  it('SIGTERM while machines post: exit 0 within the deadline, no child left, nothing lost', async () => {
    const { dataDir, env, url } = await allInOnes.systemEnv();
    const system = allInOnes.spawn(env);
    await waitUntilUp(system, 240_000);
    const brokerPid = Number(readFileSync(path.join(dataDir, 'kafka', 'broker.pid'), 'utf8').trim());
    expect(processesOf(dataDir).length).toBeGreaterThanOrEqual(2); // the broker's and the registry's

    // Four machines (three sync, one async) post until told to stop; each keeps what was not acked.
    const sent: Batch[] = [];
    const unacked: Batch[] = [];
    let acked = 0;
    let posting = true;
    const machines = [0, 1, 2, 3].map(async (client) => {
      for (let n = 0; posting; n++) {
        const batch = batchOf(client, n);
        sent.push(batch);
        if (await post(url, batch, client === 3 ? 'async' : 'sync')) acked++;
        else {
          unacked.push(batch);
          await new Promise((r) => setTimeout(r, 250)); // a machine waits before its next try
        }
      }
    });
    await new Promise((r) => setTimeout(r, 8_000));
    const ackedBeforeStop = acked;
    expect(ackedBeforeStop).toBeGreaterThan(0);

    const stopAt = Date.now();
    system.child.kill('SIGTERM');
    const code = await system.exited;
    const stopMs = Date.now() - stopAt;
    posting = false;
    await Promise.all(machines);
    console.log(
      `stop under load: exit ${code} after ${stopMs} ms (deadline ${STOP_DEADLINE_MS} ms); ` +
        `${sent.length} batches posted, ${acked} acknowledged, ${unacked.length} not`,
    );
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(STOP_DEADLINE_MS);
    expect(system.output()).not.toMatch(/"level":(50|60)/); // no error or fatal log line
    // The broker and the registry were stopped by the all-in-one itself, not left to a watchdog.
    expect(processGone(brokerPid)).toBe(true); // (a zombie not yet reaped by init counts as gone)
    expect(processesOf(dataDir)).toEqual([]);

    // Restart: what was acknowledged is there; the machines post the rest again; exactly once.
    const again = allInOnes.spawn(env);
    await waitUntilUp(again, 240_000);
    await expect.poll(() => eventsCount(url), { timeout: 60_000 }).toBeGreaterThanOrEqual(acked * BATCH);
    for (const batch of unacked) expect(await post(url, batch, 'sync')).toBe(true);
    await expect.poll(() => eventsCount(url), { timeout: 60_000 }).toBe(sent.length * BATCH);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
  }, 600_000);
});
