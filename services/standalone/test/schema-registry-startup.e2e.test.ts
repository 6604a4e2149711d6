// The standalone process and the schema registry: every schema registered before anything starts,
// a registry that is down at start-up stops the start with a clear error, leaving nothing behind,
// and every record on every topic is Avro behind the Confluent header.

import { randomBytes } from 'node:crypto';
import { issueKey } from '@shopfloor/auth';
import { createKafka, type KafkaClient } from '@shopfloor/kafka';
import { type ReadRecord, readUntil } from '@shopfloor/kafka/testing';
import { RESTORE_MARKER_KEY } from '@shopfloor/stream-runner';
import { spawnService, stopAllServices } from '@shopfloor/test-support';
import { afterAll, expect, inject, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';

const registryUrl = inject('schemaRegistryUrl');
let system: TestSystem | undefined;
afterAll(async () => {
  await system?.close();
});

test('registry down at start-up: SCHEMA_REGISTRY_UNAVAILABLE, and nothing is left half started', async () => {
  const dead = 'http://127.0.0.1:9/apis/ccompat/v7';
  await expect(startTestSystem({ SCHEMA_REGISTRY_URL: dead })).rejects.toMatchObject({
    code: 'SCHEMA_REGISTRY_UNAVAILABLE',
    message: expect.stringContaining(`schema registry at ${dead} is unreachable`),
  });
}, 180_000);

test('registry down at start-up: each service process exits at once with the reason, before it connects to anything', async () => {
  const dead = 'http://127.0.0.1:9/apis/ccompat/v7';
  const env = {
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    SCHEMA_REGISTRY_URL: dead,
    SHOPFLOOR_TOPIC_PREFIX: `dead-registry-${randomBytes(4).toString('hex')}.`,
    HOST: '127.0.0.1',
    PORT: '0',
  };
  const services = [
    ...(['gateway', 'consumer', 'projector'] as const).map((name) => spawnService(name, env)),
    // The query service reads the registry only with auth on (for the key log's codec).
    spawnService('query', {
      ...env,
      SHOPFLOOR_BOOTSTRAP_KEY: (await issueKey()).token,
      CLICKHOUSE_URL: 'http://127.0.0.1:9',
    }),
  ];
  try {
    for (const service of services) {
      const exit = await service.exited;
      expect([service.name, exit.code]).toEqual([service.name, 2]);
      expect(service.logs.map((l) => l.msg).join('\n')).toContain(
        `schema registry at ${dead} is unreachable`,
      );
      expect(service.logs.some((l) => /listening|consumer started|ClickHouse ready/i.test(l.msg))).toBe(
        false,
      );
    }
  } finally {
    await stopAllServices();
  }
}, 120_000);

// A full start (group joins, restore) is slow on a loaded machine: its own, longer budget.
test('registry up: every subject registered before the system answers, codecs write the Confluent header', async () => {
  // The embedded ClickHouse binds one data dir per process: had the failed start above left its
  // engine open, this start (another data dir) could not open its own.
  system = await startTestSystem({ SCHEMA_REGISTRY_URL: registryUrl });
  const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
  for (const name of ['raw', 'dlq', 'state', 'change-batches', 'outcomes', 'invalid'])
    expect(subjects).toContain(`${system.prefix}events.${name}-value`);
  // The codecs it hands out write the Confluent header (magic byte 0, then the schema id).
  const bytes = system.codecs.invalid.encode({
    v: 1,
    topic: 't',
    partition: 0,
    offset: '0',
    error: 'e',
    value: null,
  });
  expect(bytes[0]).toBe(0);
  expect(await system.codecs.invalid.decode(bytes)).toMatchObject({ ok: true, value: { topic: 't' } });
  expect((await system.get('/health')).status).toBe(200);
}, 300_000);

test('every topic value is Avro with a registered schema id, and a record that is not is an invalid record', async () => {
  if (!system) throw new Error('the system did not start (see the test above)');
  const sys = system;
  const topic = (name: string) => `${sys.prefix}events.${name}`;
  const good = {
    eventId: `avro-${sys.prefix}1`,
    eventTime: '2026-03-01T10:00:00Z',
    machineId: 'M-avro',
    lineId: 'L-avro',
    factoryId: 'F-avro',
    durationMs: 10,
    defectCount: 1,
  };
  const answer = await sys.post([good, { ...good, eventId: `avro-${sys.prefix}2`, durationMs: -1 }]);
  expect(answer.body).toMatchObject({ accepted: 1, rejected: 1 });
  // Bytes that are no schema-registry record: the consumer turns them into an events.invalid record.
  const kafka = createKafka({ brokers: inject('kafkaBrokers'), clientId: 'avro-e2e' });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: topic('raw'),
    messages: [{ key: 'junk', value: Buffer.from([1, 2, 3, 4, 5, 6]) }],
  });
  await producer.disconnect();

  const expected = { raw: 2, dlq: 1, state: 1, 'change-batches': 1, outcomes: 1, invalid: 1 };
  const kinds = {
    raw: 'raw',
    dlq: 'deadLetter',
    state: 'state',
    'change-batches': 'changes',
    outcomes: 'outcomes',
    invalid: 'invalid',
  } as const;
  for (const [name, count] of Object.entries(expected) as [keyof typeof expected, number][]) {
    const values = await readValues(kafka, topic(name), count);
    const latest = (await (
      await fetch(`${registryUrl}/subjects/${topic(name)}-value/versions/latest`)
    ).json()) as {
      id: number;
    };
    const avro = values.filter((v) => !(name === 'raw' && v[0] === 1));
    expect(avro.length, name).toBeGreaterThanOrEqual(count - (name === 'raw' ? 1 : 0));
    for (const value of avro) {
      expect([name, value[0], value.readUInt32BE(1)]).toEqual([name, 0, latest.id]);
      expect(await sys.codecs[kinds[name]].decode(value), name).toMatchObject({ ok: true });
    }
    if (name === 'invalid') {
      const decoded = await sys.codecs.invalid.decode(avro[0]!);
      expect(decoded).toMatchObject({
        ok: true,
        value: { topic: topic('raw'), error: expect.stringContaining('wrong magic byte 0x01') },
      });
    }
  }
}, 120_000);

/**
 * Every value of `topic` (all partitions, read_committed), once at least `count` were read. The dedupe
 * consumers' restore markers (a UUID text under a reserved key, written to each state partition at
 * assignment) are skipped: they are the one non-Avro value, and not records.
 */
async function readValues(kafka: KafkaClient, topic: string, count: number): Promise<Buffer[]> {
  const valuesOf = (records: ReadRecord[]) =>
    records.flatMap((r) => (r.bytes && r.key !== RESTORE_MARKER_KEY ? [r.bytes] : []));
  return valuesOf(
    await readUntil(kafka, topic, (read) => valuesOf(read).length >= count, { timeoutMs: 60_000 }),
  );
}
