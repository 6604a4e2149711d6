import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotentProducer } from './producers.ts';
import { readUntil, testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const KEYS = 10;
const VERSIONS = 5;

describe('compacted topics (Kafka 3.9)', () => {
  it('keeps only the last value per key once the cleaner has run', async () => {
    const topic = uniqueName('state');
    // Default compacted settings, with a shorter segment.ms so the test rolls quickly.
    await ensureTopics(kafka, [{ topic, partitions: 1, compacted: true, configs: { 'segment.ms': '300' } }]);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    for (let version = 1; version <= VERSIONS; version++) {
      await producer.send({
        topic,
        messages: Array.from({ length: KEYS }, (_, k) => ({ key: `key-${k}`, value: `v${version}` })),
      });
    }
    // Only closed segments are compacted: a record appended after segment.ms rolls the segment.
    await sleep(400);
    await producer.send({ topic, messages: [{ key: 'roll', value: 'x' }] });
    const end = KEYS * VERSIONS + 1;

    const deadline = Date.now() + 30_000;
    let records = await readUntil(kafka, topic, (r) => r.some((x) => x.key === 'roll'));
    expect(records.length).toBeLessThanOrEqual(end);
    while (records.length > KEYS + 1 && Date.now() < deadline) {
      await sleep(500);
      records = await readUntil(kafka, topic, (r) => r.some((x) => x.key === 'roll'));
    }
    const compacted = records.filter((r) => r.key !== 'roll');
    expect(compacted).toHaveLength(KEYS);
    expect(new Set(compacted.map((r) => r.key)).size).toBe(KEYS);
    for (const record of compacted) expect(record.value).toBe(`v${VERSIONS}`);
    // Offsets are kept: the survivors are the last version's offsets.
    expect(compacted.map((r) => r.offset)).toEqual(
      Array.from({ length: KEYS }, (_, k) => BigInt((VERSIONS - 1) * KEYS + k)),
    );
  });
});
