// The start command with SHOPFLOOR_TOPOLOGY=split: a supervisor, the pipeline process and the
// gateway process in front of it on the one port. A batch posted to that port is answered once
// visible and read back through the same port (forwarded to the pipeline process); /metrics counts
// both processes' work (the gateway's waiting requests relayed to the projector included) and
// /openapi.json describes both; the gateway process maps no chdb library; a gateway killed with
// SIGKILL is reported and restarted; Ctrl-C (SIGINT to the process group) stops every process, with
// exit 0. Real broker and registry (the suite's), embedded ClickHouse, no mocks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePrometheusText, sumOf } from '@shopfloor/metrics/testing';
import {
  freePort,
  processGone,
  type SystemLogLine,
  suiteStreamEnv,
  trackedAllInOnes,
  waitForLogLine,
} from '@shopfloor/test-support';
import { expect, test } from 'vitest';

const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-split-'));
const systems = trackedAllInOnes(() => rmSync(dataDir, { recursive: true, force: true }));

// One event time for every batch, so a repost is the identical payload (deduped, not updated).
const eventTime = new Date(Date.now() - 60_000).toISOString();
const batch = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    eventId: `split-${tag}-${i}`,
    eventTime,
    machineId: `M-split-${tag}`,
    lineId: 'L-1',
    factoryId: 'F-1',
    // The last event of each batch is rejected by the gateway (a negative duration).
    durationMs: i === n - 1 ? -1 : 1000,
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

const residentKib = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const mapsChdb = (pid: number) => readFileSync(`/proc/${pid}/maps`, 'utf8').includes('chdb');

test('split topology: ingest and reads on one port, one /metrics and /openapi.json, a killed gateway restarted, Ctrl-C stops every process', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = systems.spawn(
    {
      ...suiteStreamEnv('split').env,
      SHOPFLOOR_DATA_DIR: dataDir,
      SHOPFLOOR_TOPOLOGY: 'split',
      SHOPFLOOR_DEMO: '0',
      SHOPFLOOR_SENSORS: '0',
      PORT: String(port),
    },
    { detached: true },
  );
  const up = await waitForLogLine(started, (l) => l.msg?.startsWith('Shopfloor is up on') ?? false, 240_000);
  expect(up.url).toBe(url);
  const { supervisor, pipeline, gateway } = up.pids as Record<string, number>;
  expect(new Set([supervisor, pipeline, gateway]).size).toBe(3);
  expect(supervisor).toBe(started.child.pid);

  // The gateway process answers the POST once the batch is visible; the read is forwarded.
  expect(await postBatch(url, 'a', 501)).toEqual({
    status: 200,
    body: expect.objectContaining({ accepted: 500, deduped: 0, rejected: 1 }),
  });
  expect(await eventsCount(url, 'a')).toBe(500);
  expect((await fetch(`${url}/health`)).status).toBe(200);
  // A retry of the same batch counts nothing twice.
  expect((await postBatch(url, 'a', 501)).body).toMatchObject({ accepted: 0, deduped: 500 });

  // /metrics: the gateway process's counters (rejections, published events) and the pipeline's
  // (dedupe decisions) in one answer.
  const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
  expect(sumOf(samples, 'shopfloor_events_total', { outcome: 'rejected' })).toBe(2);
  expect(sumOf(samples, 'shopfloor_events_total', { outcome: 'accepted' })).toBe(500);
  expect(sumOf(samples, 'shopfloor_events_total', { outcome: 'deduped' })).toBe(500);
  expect(sumOf(samples, 'shopfloor_gateway_published_events_total')).toBe(1000);
  // The gateway process's count of waiting requests reached the pipeline's projector (relayed by
  // the supervisor): fetches were answered at their first record while a POST waited.
  expect(
    sumOf(samples, 'shopfloor_projector_awaited_fetches_total', { projector: 'events' }),
  ).toBeGreaterThan(0);
  // /openapi.json: the pipeline's routes and the gateway's.
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, object> };
  expect(doc.paths['/events/batch']).toHaveProperty('post');
  expect(doc.paths['/stats']).toHaveProperty('get');

  // The gateway process never loads the embedded engine.
  expect(mapsChdb(pipeline!)).toBe(true);
  expect(mapsChdb(gateway!)).toBe(false);
  console.info(
    `split: gateway process RSS ${residentKib(gateway!)} KiB, pipeline ${residentKib(pipeline!)} KiB`,
  );

  // A gateway that dies is reported with its pid and restarted on the same port.
  process.kill(gateway!, 'SIGKILL');
  await waitForLogLine(started, (l) => l.msg === 'the gateway process died: restarting it in 1 s', 10_000);
  const restarted = await waitForLogLine(started, (l) => l.msg === 'gateway process restarted', 120_000);
  expect(restarted.url).toBe(url);
  expect((await postBatch(url, 'b', 101)).body).toMatchObject({ accepted: 100 });
  expect(await eventsCount(url, 'b')).toBe(100);
  const newGateway = (restarted as SystemLogLine & { pid: number }).pid;
  expect(newGateway).not.toBe(gateway);

  // Ctrl-C: SIGINT to the whole process group.
  process.kill(-started.child.pid!, 'SIGINT');
  expect(await started.exited).toBe(0);
  for (const pid of [pipeline!, newGateway]) {
    const deadline = Date.now() + 10_000;
    while (!processGone(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect([pid, processGone(pid)]).toEqual([pid, true]);
  }
}, 420_000);
