// The start-up rule in the separate service mains (not only the all-in-one process): a non-loopback
// HOST without a bootstrap key starts nothing; with one, the process follows the key log, so a key
// created by `shopfloor keys create` works there and its revocation reaches it within seconds.
import { randomBytes } from 'node:crypto';
import { createKey, issueKey, revokeKey } from '@shopfloor/auth';
import { shopfloorTopics } from '@shopfloor/contracts';
import { sampleEvent } from '@shopfloor/contracts/testing';
import { createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { kafkaKeyLog } from '@shopfloor/key-log';
import { registryCodecs } from '@shopfloor/schema-registry';
import { freePort, type ServiceName, type ServiceProcess, spawnService } from '@shopfloor/test-support';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { afterAll, describe, expect, inject, test } from 'vitest';

const started: ServiceProcess[] = [];
const dataDirs = tempDirs('shopfloor-sensors-auth-');
afterAll(async () => {
  for (const p of started.splice(0)) await p.stop();
  dataDirs.removeAll();
});

describe('the start-up rule in every service main', () => {
  test.each<ServiceName>([
    'gateway',
    'projector',
    'query',
    'sensors',
    'metric-events',
  ])('%s: HOST=0.0.0.0 without a bootstrap key exits 2 before connecting to anything', async (name) => {
    const p = spawnService(name, {
      HOST: '0.0.0.0',
      PORT: '0',
      KAFKA_BROKERS: '127.0.0.1:1',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7',
      CLICKHOUSE_URL: 'http://127.0.0.1:9',
    });
    started.push(p);
    expect((await p.exited).code).toBe(2);
    expect(p.tail(5)).toMatch(/API keys are required/);
  });

  test('gateway with a bootstrap key: 401 without a key, a key from the log works, its revocation applies within seconds', async () => {
    const prefix = `mains-${randomBytes(4).toString('hex')}.`;
    const topics = shopfloorTopics(prefix);
    const brokers = inject('kafkaBrokers');
    const kafka = createKafka({ brokers, clientId: 'mains-auth-test', logLevel: 'nothing' });
    await ensureTopics(kafka, shopfloorTopicSpecs(topics, 1));
    const codecs = await registryCodecs({ url: inject('schemaRegistryUrl'), topics });
    const log = kafkaKeyLog({ kafka, topic: topics.keys, codec: codecs.keys });
    const machine = await createKey(log, { role: 'machine', factories: ['F-1'] });
    const port = await freePort();
    const gateway = spawnService('gateway', {
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: prefix,
      SHOPFLOOR_PARTITIONS: '1',
      SHOPFLOOR_BOOTSTRAP_KEY: (await issueKey()).token,
      LOG_LEVEL: 'info',
    });
    started.push(gateway);
    const url = `http://127.0.0.1:${port}`;
    await gateway.waitForHttp(`${url}/health`, 90_000);
    const post = (key?: string) =>
      fetch(`${url}/events/batch?mode=async`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
        body: JSON.stringify([sampleEvent(`e-${randomBytes(4).toString('hex')}`)]),
      });
    expect((await post()).status).toBe(401);
    expect((await post(machine.token)).status).toBe(202);
    await revokeKey(log, machine.keyId);
    const revokedAt = Date.now();
    let status = 0;
    while (Date.now() - revokedAt < 5_000 && status !== 401) status = (await post(machine.token)).status;
    expect(status).toBe(401);
    console.log(`gateway process: revocation applied after ${Date.now() - revokedAt} ms`);
    expect(gateway.logs.map((l) => l.line).join('\n')).not.toContain(machine.token.slice(21));
  });

  test('sensors with a bootstrap key: the webhook answers 401 without a key and accepts the bootstrap key', async () => {
    const prefix = `smains-${randomBytes(4).toString('hex')}.`;
    const dataDir = dataDirs.make();
    const bootstrap = (await issueKey()).token;
    const port = await freePort();
    const sensors = spawnService('sensors', {
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: prefix,
      SHOPFLOOR_SENSOR_PARTITIONS: '1',
      SHOPFLOOR_DATA_DIR: dataDir,
      SHOPFLOOR_BOOTSTRAP_KEY: bootstrap,
      LOG_LEVEL: 'info',
    });
    started.push(sensors);
    const url = `http://127.0.0.1:${port}`;
    await sensors.waitForHttp(`${url}/health`, 120_000);
    const post = (key?: string) =>
      fetch(`${url}/api/webhook/sensor-data?mode=async`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
        body: JSON.stringify({
          readings: [
            { equipmentId: 'EQ-1', sensorType: 'temperature', value: 60, timestamp: '2026-03-01T10:00:00Z' },
          ],
        }),
      });
    expect((await post()).status).toBe(401);
    expect((await post('sf_not-a-key')).status).toBe(401);
    expect((await post(bootstrap)).status).toBe(202);
    // The process's other routes too (the sensor queries are the query service's).
    expect((await fetch(`${url}/api/webhook/status/no-such-job`)).status).toBe(401);
    const resolve = await fetch(`${url}/api/alerts/no-such-alert/resolve`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(resolve.status).toBe(401);
    expect(sensors.logs.map((l) => l.line).join('\n')).not.toContain(bootstrap.slice(21));
    expect(await sensors.stop('SIGTERM', 20_000)).toEqual({ code: 0, signal: null });
  });
});
