import {
  createTransactionalProducer,
  ensureTopics,
  fetchLogRanges,
  type KafkaClient,
} from '@shopfloor/kafka';
import { kafkaTest, uniqueTopic } from '@shopfloor/test-support';
import { expect } from 'vitest';
import { countStateEntries } from '../src/state-entries.ts';

// `shopfloor status` counts the state entries of each partition from the changelog, with no dedupe
// process running: the live keys (latest record a value), whatever the tombstones, the members'
// restore markers, aborted transactions and the commit markers that end a transactional log.
const MARKER = '\u0000shopfloor.restore-marker';

async function write(
  kafka: KafkaClient,
  topic: string,
  partition: number,
  records: [string, string | null][],
  outcome: 'commit' | 'abort',
) {
  const producer = createTransactionalProducer(kafka, `${topic}.writer.${partition}`);
  await producer.connect();
  try {
    const tx = await producer.transaction();
    await tx.send({ topic, messages: records.map(([key, value]) => ({ key, value, partition })) });
    await (outcome === 'commit' ? tx.commit() : tx.abort());
  } finally {
    await producer.disconnect();
  }
}

kafkaTest(
  'state entries per partition, counted from a transactional compacted changelog',
  async ({ kafka }) => {
    const topic = uniqueTopic('state-entries');
    await ensureTopics(kafka, [{ topic, partitions: 3, compacted: true }]);
    // p0: 3 keys, one of them deleted, one updated; a restore marker.
    await write(
      kafka,
      topic,
      0,
      [
        [MARKER, 'm'],
        ['A', '1'],
        ['B', '1'],
        ['C', '1'],
      ],
      'commit',
    );
    await write(
      kafka,
      topic,
      0,
      [
        ['B', null],
        ['A', '2'],
        [MARKER, 'm'],
      ],
      'commit',
    );
    // p1: an aborted transaction adds nothing; a committed one adds one key.
    await write(
      kafka,
      topic,
      1,
      [
        ['X', '1'],
        ['Y', '1'],
      ],
      'abort',
    );
    await write(kafka, topic, 1, [['Z', '1']], 'commit');
    // p2: only what was aborted, then a marker: no entry.
    await write(kafka, topic, 2, [['Q', '1']], 'abort');
    await write(kafka, topic, 2, [[MARKER, 'm']], 'commit');

    const ranges = await fetchLogRanges(kafka, topic);
    // Every partition ends with a commit or abort marker, which no reader is handed.
    expect(ranges.map((r) => r.end)).toEqual([9n, 5n, 4n]);
    const entries = await countStateEntries(kafka, topic, ranges, 60_000);
    expect([...entries]).toEqual([
      [0, 2],
      [1, 1],
      [2, 0],
    ]);
  },
  120_000,
);
