// The metric-events stream's own main (services/metric-events/src/main.ts) as a separate process:
// it checks topics, subjects, tables and projection at start-up and says so in one line, then
// serves the stream with /ready and /metrics, and stops cleanly on SIGTERM.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePrometheusText, sumBy } from '@shopfloor/metrics/testing';
import { freePort, type ServiceProcess, spawnService } from '@shopfloor/test-support';
import { afterAll, describe, expect, inject, test } from 'vitest';

const started: ServiceProcess[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-metric-main-'));
afterAll(async () => {
  for (const p of started.splice(0)) await p.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the metric-events main', () => {
  test('checks at start-up, logs what it checked, serves /ready and /metrics, stops on SIGTERM', async () => {
    const prefix = `mmain-${randomBytes(4).toString('hex')}.`;
    const port = await freePort();
    const main = spawnService('metric-events', {
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: prefix,
      SHOPFLOOR_PARTITIONS: '2',
      SHOPFLOOR_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    started.push(main);
    const line = await main.waitForLog((l) => l.msg.startsWith('metric-events stream started'), 120_000);
    expect(line.json).toMatchObject({
      topics: ['raw', 'state', 'processed', 'failed'].map((t) => `${prefix}metric.events.${t}`),
      subjects: ['raw', 'state', 'processed', 'failed'].map((t) => `${prefix}metric.events.${t}-value`),
      tables: ['metric_events', 'metric_minute_totals', 'metric_failed_events'],
      group: `${prefix}shopfloor-metric-events`,
      projectorGroup: `${prefix}shopfloor-metric-events-projector`,
      partitions: 2,
    });
    const url = `http://127.0.0.1:${port}`;
    await main.waitForHttp(`${url}/health`, 30_000);
    const deadline = Date.now() + 30_000;
    let ready = await fetch(`${url}/ready`);
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await fetch(`${url}/ready`);
    }
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    const posted = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'c-1',
        payload: { metric: 'clicks', amount: 2, timestamp: '2026-03-01T10:00:00Z' },
      }),
    });
    expect(posted.status).toBe(201);
    const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
    expect(sumBy(samples, 'shopfloor_metric_events_total', 'outcome')).toEqual({ processed: 1 });

    expect(await main.stop('SIGTERM', 20_000)).toEqual({ code: 0, signal: null });
  });
});
