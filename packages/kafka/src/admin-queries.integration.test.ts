import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it as test } from 'vitest';
import {
  describeGroup,
  fetchCommittedOffsets,
  fetchLogRanges,
  fetchOffsetsForTime,
  setCommittedOffsets,
} from './admin-queries.ts';
import { waitForBroker } from './cluster.ts';
import { testKafka, uniqueName as uniqueTopic } from './testing.ts';
import { fetchTopicIds } from './topic-ids.ts';
import { ensureTopics } from './topics.ts';

const kafka = testKafka();
const brokers = inject('kafkaBrokers');

describe('admin queries against the real broker', () => {
  test('topic ids: stable for a topic, new after delete + create, absent for a missing topic', async () => {
    const topic = uniqueTopic('ids');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const first = await fetchTopicIds(brokers, [topic, 'no-such-topic-xyz']);
    expect(first.topicIds.get(topic)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(first.topicIds.has('no-such-topic-xyz')).toBe(false);
    expect(first.clusterId).toBeTruthy();
    expect((await fetchTopicIds(brokers, [topic])).topicIds.get(topic)).toBe(first.topicIds.get(topic));

    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    await sleep(1000);
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const again = await fetchTopicIds(brokers, [topic]);
    expect(again.topicIds.get(topic)).toBeDefined();
    expect(again.topicIds.get(topic)).not.toBe(first.topicIds.get(topic));
  });

  test('log ranges, offsets for a time, committed offsets and moving them', async () => {
    const topic = uniqueTopic('ranges');
    const groupId = uniqueTopic('group');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.now();
    await producer.send({
      topic,
      messages: [
        { partition: 0, value: 'a', timestamp: String(t0 - 60_000) },
        { partition: 0, value: 'b', timestamp: String(t0) },
        { partition: 1, value: 'c', timestamp: String(t0 - 60_000) },
      ],
    });
    await producer.disconnect();

    expect(await fetchLogRanges(kafka, topic)).toEqual([
      { partition: 0, start: 0n, end: 2n },
      { partition: 1, start: 0n, end: 1n },
    ]);
    expect(await fetchOffsetsForTime(kafka, topic, t0 - 1000)).toEqual([
      { partition: 0, offset: 1n },
      { partition: 1, offset: 1n },
    ]);
    expect(await fetchCommittedOffsets(kafka, groupId, [topic])).toEqual([
      { topic, partition: 0, offset: undefined },
      { topic, partition: 1, offset: undefined },
    ]);
    await setCommittedOffsets(kafka, groupId, topic, [{ partition: 0, offset: 1n }]);
    expect((await fetchCommittedOffsets(kafka, groupId, [topic]))[0]!.offset).toBe(1n);
    expect(await describeGroup(kafka, groupId)).toMatchObject({ groupId, members: 0 });
  });
});

describe('waitForBroker against the real broker', () => {
  test('answers with the cluster at the first attempt', async () => {
    const waited: Error[] = [];
    const info = await waitForBroker(brokers, { timeoutMs: 10_000, onWaiting: (e) => waited.push(e) });
    expect(info.clusterId).toBeTruthy();
    expect(info.brokers.length).toBeGreaterThan(0);
    expect(waited).toEqual([]);
  });
});
