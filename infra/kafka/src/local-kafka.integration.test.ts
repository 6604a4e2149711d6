import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isAlive, waitForExit } from '@shopfloor/jvm-process';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerFiles } from './broker-state.ts';
import { localKafkaStatus, startLocalKafka, stopLocalKafka } from './local-kafka.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'local-kafka-it-'));
const files = brokerFiles(dataDir);
const heap = '-Xms128m -Xmx512m';
const helpers: ChildProcess[] = [];
const timings: Record<string, number> = {};

/** A detached long-running process we own, to stand in for other processes. */
function spawnHelper(args: string[]): ChildProcess {
  const child = spawn('bash', args, { detached: true, stdio: 'ignore' });
  child.unref();
  helpers.push(child);
  return child;
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings[label] = Date.now() - started;
  }
}

afterAll(async () => {
  await stopLocalKafka(dataDir).catch(() => {});
  for (const child of helpers) if (child.pid && isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`local-kafka timings (ms): ${JSON.stringify(timings)}`);
});

describe('local Kafka runner', () => {
  it('starts a broker, reuses it on a second start, and stops it', async () => {
    expect((await localKafkaStatus(dataDir)).state).toBe('stopped');

    const first = await timed('firstStart', () => startLocalKafka({ dataDir, heap }));
    expect(first.reused).toBe(false);
    expect(first.brokers).toHaveLength(1);
    const status = await localKafkaStatus(dataDir);
    expect(status).toMatchObject({ state: 'running', pid: first.pid, brokers: first.brokers });

    const second = await timed('reuse', () => startLocalKafka({ dataDir, heap }));
    expect(second).toMatchObject({ reused: true, pid: first.pid, brokers: first.brokers });
    expect(second.clusterId).toBe(first.clusterId);

    await timed('stop', () => second.stop());
    expect(isAlive(first.pid)).toBe(false);
    expect(await localKafkaStatus(dataDir)).toMatchObject({ state: 'stopped' });
    expect(await stopLocalKafka(dataDir)).toBe(false);
  });

  it('cleans a stale pid file left by a dead process and starts again on the same storage', async () => {
    const dead = spawnSync('true');
    expect(dead.pid).toBeGreaterThan(0);
    writeFileSync(files.pid, `${dead.pid}\n`);
    expect(await localKafkaStatus(dataDir)).toMatchObject({ state: 'stopped', stalePid: dead.pid });

    const kafka = await timed('restartFormatted', () => startLocalKafka({ dataDir, heap }));
    expect(kafka.reused).toBe(false);
    expect((await localKafkaStatus(dataDir)).state).toBe('running');
    await kafka.stop();
  });

  it('kills a live but unresponsive broker process, and stops with the watched parent', async () => {
    // A process whose command line names this data dir's server.properties, like a hung broker,
    // with a pid file and state pointing at a port where nothing answers.
    // ('; :' keeps bash from exec-ing sleep, so the marker stays in its command line.)
    const hung = spawnHelper(['-c', 'sleep 300; :', files.serverProperties]);
    writeFileSync(files.pid, `${hung.pid}\n`);
    writeFileSync(
      files.state,
      JSON.stringify({
        pid: hung.pid,
        port: await freePort(),
        controllerPort: await freePort(),
        clusterId: 'not-a-cluster',
        startedAt: new Date(0).toISOString(),
        version: '3.9.1',
      }),
    );
    expect((await localKafkaStatus(dataDir)).state).toBe('unresponsive');

    const parent = spawnHelper(['-c', 'sleep 300']);
    const kafka = await timed('startOverHung', () =>
      startLocalKafka({ dataDir, heap, watchParentPid: parent.pid }),
    );
    expect(kafka.reused).toBe(false);
    expect(isAlive(hung.pid!)).toBe(false);
    expect((await localKafkaStatus(dataDir)).state).toBe('running');

    // The watched "test runner" dies: the broker must go away on its own.
    process.kill(parent.pid!, 'SIGKILL');
    const exited = await timed('exitAfterParentDied', () => waitForExit(kafka.pid, 30_000));
    expect(exited).toBe(true);
    expect(await localKafkaStatus(dataDir)).toMatchObject({ state: 'stopped', stalePid: kafka.pid });
  });
});
