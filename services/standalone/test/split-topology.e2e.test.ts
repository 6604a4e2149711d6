// The start command with SHOPFLOOR_TOPOLOGY=split: a supervisor, the pipeline process and the
// gateway process in front of it on the one port. A batch posted to that port is answered once
// visible and read back through the same port (forwarded to the pipeline process); a gateway
// killed with SIGKILL is reported and restarted; Ctrl-C (SIGINT to the process group) stops every
// process, with exit 0. Real broker and registry (the suite's), embedded ClickHouse, no mocks.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@shopfloor/test-support';
import { afterAll, expect, inject, test } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-split-'));
let started: ChildProcess | undefined;
let pids: number[] = [];

afterAll(() => {
  // On a failure half-way: nothing of this test may outlive it.
  for (const pid of [started?.pid, ...pids]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

type LogLine = { msg?: string; component?: string; pids?: Record<string, number>; url?: string };

async function waitForLine(output: () => string, match: (l: LogLine) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    for (const raw of output().split('\n')) {
      if (!raw.startsWith('{')) continue;
      const line = JSON.parse(raw) as LogLine;
      if (match(line)) return line;
    }
    if (Date.now() > deadline) throw new Error(`no such log line in time:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// One event time for every batch, so a repost is the identical payload (deduped, not updated).
const eventTime = new Date(Date.now() - 60_000).toISOString();
const batch = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    eventId: `split-${tag}-${i}`,
    eventTime,
    machineId: `M-split-${tag}`,
    lineId: 'L-1',
    factoryId: 'F-1',
    durationMs: 1000,
    defectCount: 1,
  }));

async function postBatch(url: string, tag: string, n: number) {
  const res = await fetch(`${url}/events/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batch(tag, n)),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function eventsCount(url: string, tag: string): Promise<number> {
  const res = await fetch(
    `${url}/stats?machineId=M-split-${tag}&start=2020-01-01T00:00:00Z&end=2100-01-01T00:00:00Z`,
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { eventsCount: number }).eventsCount;
}

test('split topology: ingest and reads on one port, a killed gateway restarted, Ctrl-C stops every process', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/standalone/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: `split-${randomBytes(4).toString('hex')}.`,
      SHOPFLOOR_DATA_DIR: dataDir,
      SHOPFLOOR_TOPOLOGY: 'split',
      SHOPFLOOR_DEMO: '0',
      SHOPFLOOR_SENSORS: '0',
      PORT: String(port),
      LOG_LEVEL: 'info',
    },
    // A process group of its own, so the test can send what a terminal's Ctrl-C sends.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started = child;
  let text = '';
  child.stdout!.on('data', (b: Buffer) => {
    text += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    text += b.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const output = () => text;

  const up = await waitForLine(output, (l) => l.msg?.startsWith('Shopfloor is up on') ?? false, 240_000);
  expect(up.url).toBe(url);
  const { supervisor, pipeline, gateway } = up.pids!;
  pids = [pipeline!, gateway!];
  expect(new Set([supervisor, pipeline, gateway]).size).toBe(3);
  expect(supervisor).toBe(child.pid);

  // The gateway process answers the POST once the batch is visible; the read is forwarded.
  expect(await postBatch(url, 'a', 500)).toEqual({
    status: 200,
    body: expect.objectContaining({ accepted: 500, deduped: 0, rejected: 0 }),
  });
  expect(await eventsCount(url, 'a')).toBe(500);
  expect((await fetch(`${url}/health`)).status).toBe(200);
  // A retry of the same batch counts nothing twice.
  expect((await postBatch(url, 'a', 500)).body).toMatchObject({ accepted: 0, deduped: 500 });

  // A gateway that dies is reported with its pid and restarted on the same port.
  process.kill(gateway!, 'SIGKILL');
  await waitForLine(output, (l) => l.msg === 'the gateway process died: restarting it in 1 s', 10_000);
  const restarted = await waitForLine(output, (l) => l.msg === 'gateway process restarted', 120_000);
  expect(restarted.url).toBe(url);
  const status = await postBatch(url, 'b', 100);
  expect(status.body).toMatchObject({ accepted: 100 });
  expect(await eventsCount(url, 'b')).toBe(100);
  const newGateway = (restarted as LogLine & { pid?: number }).pid!;
  expect(newGateway).not.toBe(gateway);
  pids.push(newGateway);

  // Ctrl-C: SIGINT to the whole process group.
  process.kill(-child.pid!, 'SIGINT');
  expect(await exited).toBe(0);
  for (const pid of [pipeline!, newGateway]) {
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect([pid, alive(pid)]).toEqual([pid, false]);
  }
}, 420_000);
