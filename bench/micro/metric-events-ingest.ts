// `pnpm exec tsx bench/micro/metric-events-ingest.ts [seconds] [clients]`: the metric-events
// stream's ingest rate through HTTP on the all-in-one process (a child, as in `pnpm bench`):
// POST /events with 1 event and POST /events/batch-metrics with 100, each answered once the
// outcome is visible to queries. Starts its own broker and registry unless BENCH_BROKERS and
// BENCH_SCHEMA_REGISTRY name running ones. Prints events/s and request latencies.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchInfra } from '../src/bench-infra.ts';
import { startChild } from '../src/children.ts';
import { HttpClient } from '../src/http-client.ts';
import { ProcSampler } from '../src/proc-sampler.ts';
import { fmtInt, fmtMs, summarize } from '../src/stats.ts';

const seconds = Number(process.argv[2] ?? 15);
const clients = Number(process.argv[3] ?? 8);
const runTag = `m${randomBytes(3).toString('hex')}`;
const workDir = mkdtempSync(path.join(os.tmpdir(), 'shopfloor-metric-bench-'));
const cleanups: (() => Promise<void>)[] = [];
const t0 = performance.now();
const progress = (line: string) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);

let seq = 0;
const eventJson = () =>
  `{"client_id":"${runTag}-c${seq % 50}","source":"bench","payload":{"metric":"m${seq % 7}","amount":${seq % 1000},"timestamp":"${new Date(Date.UTC(2026, 0, 1) + seq++).toISOString()}"}}`;

async function scenario(http: HttpClient, name: string, path: string, perRequest: number) {
  const latencies: number[] = [];
  let events = 0;
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const body =
          perRequest === 1 ? eventJson() : `[${Array.from({ length: perRequest }, eventJson).join(',')}]`;
        const r = await http.request('POST', path, body);
        if (r.status === 201 || r.status === 200) {
          latencies.push(r.ms);
          events += perRequest;
        } else failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    name,
    events,
    eventsPerSecond: events / elapsed,
    requests: latencies.length,
    failures,
    latency: summarize(latencies),
  };
}

try {
  const infra = await startBenchInfra(
    { brokers: process.env.BENCH_BROKERS?.split(','), schemaRegistry: process.env.BENCH_SCHEMA_REGISTRY },
    workDir,
    new ProcSampler(),
    progress,
    cleanups,
  );
  progress('starting the all-in-one process (child)');
  const child = await startChild({
    name: 'pipeline',
    script: 'child-pipeline.ts',
    logDir: workDir,
    env: {
      KAFKA_BROKERS: infra.brokers.join(','),
      SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
      SHOPFLOOR_TOPIC_PREFIX: `${runTag}.`,
      SHOPFLOOR_DEDUPE_GROUP: `${runTag}.dedupe`,
      SHOPFLOOR_PROJECTOR_GROUP: `${runTag}.projector`,
      SHOPFLOOR_DATA_DIR: path.join(workDir, 'pipeline'),
      SHOPFLOOR_DEMO: '0',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  cleanups.push(() => child.stop());
  const http = new HttpClient(child.url, clients);
  progress('warming up');
  for (let i = 0; i < 20; i++) await http.request('POST', '/events', eventJson());
  const results = [];
  for (const [name, path, n] of [
    ['1-event POST /events', '/events', 1],
    ['100-event POST /events/batch-metrics', '/events/batch-metrics', 100],
  ] as const) {
    progress(`${name}: ${clients} clients for ${seconds} s`);
    results.push(await scenario(http, name, path, n));
  }
  http.close();
  console.log(
    `\nmetric-events ingest, ${os.cpus().length} cores, ${clients} clients, ${seconds} s per scenario, sync answers (visible to queries)\n`,
  );
  console.log('| scenario | events/s | requests | failed | p50 | p99 | max |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${fmtInt(r.eventsPerSecond)} | ${r.requests} | ${r.failures} | ${fmtMs(r.latency.p50)} | ${fmtMs(r.latency.p99)} | ${fmtMs(r.latency.max)} |`,
    );
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(workDir, { recursive: true, force: true });
}
