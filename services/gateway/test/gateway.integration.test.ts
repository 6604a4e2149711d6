import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shopfloorTopics } from '@shopfloor/contracts';
import type { HttpApp } from '@shopfloor/http-kit';
import { OutcomeTracker } from '@shopfloor/http-kit';
import {
  createKafka,
  ensureTopics,
  jsonCodecs,
  type KafkaClient,
  renewingIdempotentProducer,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { uniqueTopic } from '@shopfloor/test-support';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { buildGatewayApp } from '../src/app.ts';
import { kafkaBatchPublisher } from '../src/batch-publisher.ts';

// The gateway against a real broker, without the rest of the pipeline: nothing answers its
// outcomes, which is how a slow pipeline looks from the gateway.
const topicsFor = (prefix: string) => shopfloorTopics(`${prefix}.`);

const event = (id: string) => ({
  eventId: id,
  eventTime: '2026-03-01T10:00:00Z',
  machineId: 'M',
  lineId: 'L',
  factoryId: 'F',
  durationMs: 10,
  defectCount: 0,
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function gateway(
  kafka: KafkaClient,
  prefix: string,
  syncTimeoutMs: number,
  sendTimeoutMs = 10_000,
  maxInflightEvents?: number,
) {
  const topics = topicsFor(prefix);
  await ensureTopics(kafka, shopfloorTopicSpecs(topics, 2));
  const producers = renewingIdempotentProducer(kafka);
  await producers.get();
  cleanups.push(() => producers.disconnect());
  const app: HttpApp = await buildGatewayApp(
    {
      maxBodyBytes: 1024 * 1024,
      maxBatchEvents: 100,
      syncTimeoutMs,
      ...(maxInflightEvents ? { maxInflightEvents } : {}),
    },
    {
      publisher: kafkaBatchPublisher(producers, topics, jsonCodecs(), sendTimeoutMs),
      outcomes: new OutcomeTracker(),
    },
  );
  cleanups.push(() => app.close());
  return { app, topics };
}

async function countRecords(kafka: KafkaClient, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('gateway', () => {
  test('a batch whose outcome does not arrive in time answers 202 with its id, and is durable', async () => {
    const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'gateway-test' });
    const { app, topics } = await gateway(kafka, uniqueTopic('gw'), 300);
    const started = Date.now();
    const r = await app.inject({
      method: 'POST',
      url: '/events/batch',
      payload: [event('a'), event('b'), { x: 1 }],
    });
    expect(r.statusCode).toBe(202);
    expect(Date.now() - started).toBeLessThan(5_000);
    const body = r.json();
    expect(body).toMatchObject({ status: 'pending', events: 3, rejected: 1 });
    expect(r.headers.location).toBe(`/events/batch/${body.batchId}`);
    expect(await countRecords(kafka, topics.raw)).toBe(2);
    expect(await countRecords(kafka, topics.deadLetter)).toBe(1);
  });

  test('Kafka down: 503 with Retry-After and nothing acknowledged; back up: accepted again', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-gw-broker-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let broker = await startLocalKafka({ dataDir, watchParentPid: process.pid });
    cleanups.push(() => broker.stop());
    const port = Number(broker.brokers[0]!.split(':')[1]);
    const kafka = createKafka({
      brokers: broker.brokers,
      clientId: 'gateway-down-test',
      logLevel: 'nothing',
    });
    const { app, topics } = await gateway(kafka, uniqueTopic('gwdown'), 100, 3_000, 1);

    const ok = await app.inject({
      method: 'POST',
      url: '/events/batch?mode=async',
      payload: [event('before')],
    });
    expect(ok.statusCode).toBe(202);

    await broker.stop();
    const down = await app.inject({
      method: 'POST',
      url: '/events/batch?mode=async',
      payload: [event('during')],
    });
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toMatchObject({
      code: 'KAFKA_UNAVAILABLE',
      message: expect.stringContaining('nothing'),
    });

    broker = await startLocalKafka({ dataDir, port, watchParentPid: process.pid });
    let again = down;
    for (let i = 0; i < 20 && again.statusCode !== 202; i++) {
      again = await app.inject({
        method: 'POST',
        url: '/events/batch?mode=async',
        payload: [event('after')],
      });
    }
    expect(again.statusCode).toBe(202);
    // The batch answered 503 may or may not have landed (a retry of it would be deduped); the
    // acknowledged ones did.
    expect(await countRecords(kafka, topics.raw)).toBeGreaterThanOrEqual(2);
  });
});
