import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeSinkOffsets } from '@shopfloor/clickhouse';
import { inMemoryStateStores } from '@shopfloor/dedupe';
import { ensureTopics, fetchCommittedOffsets, setCommittedOffsets } from '@shopfloor/kafka';
import { produceRecords } from '@shopfloor/kafka/testing';
import {
  type EmbeddedClickHouse,
  kafkaTest,
  startEmbeddedClickHouse,
  uniqueTopic,
} from '@shopfloor/test-support';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { LogMismatchError } from '../src/log-mismatch.ts';
import { checkProjectionAgainstLog, readRecordedTopicIds } from '../src/projection-log-guard.ts';
import { checkStateAgainstLog } from '../src/state-log-guard.ts';

let ch: EmbeddedClickHouse;
beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
});
afterAll(async () => {
  await ch?.stop();
});

const mismatchesOf = async (work: Promise<void>) => {
  try {
    await work;
    return [];
  } catch (err) {
    if (!(err instanceof LogMismatchError)) throw err;
    return [...err.mismatches];
  }
};

describe('the projection against the log (real broker, embedded ClickHouse)', () => {
  kafkaTest(
    'records the topic ids, then refuses a re-created topic and positions past the log',
    async ({ kafka, brokers }) => {
      const topic = uniqueTopic('changes');
      const groupId = uniqueTopic('projector');
      await ensureTopics(kafka, [{ topic, partitions: 2 }]);
      const check = () =>
        checkProjectionAgainstLog({ kafka, brokers, writer: ch.writer, topics: [topic], groupId });
      await check();
      const recorded = (await readRecordedTopicIds(ch.reader)).get(topic);
      expect(recorded).toMatch(/^[0-9a-f-]{36}$/);

      await produceRecords(
        kafka,
        topic,
        [0, 1, 2].map((i) => ({ partition: 0, value: `r${i}` })),
      );
      // Applied up to offset 2 of a log that ends at 3: agrees. Past it: refused.
      await writeSinkOffsets(ch.writer, [
        { topic, partition: 0, minOffset: 0, maxOffset: 2, updatedAt: 1_000 },
      ]);
      await check();
      await writeSinkOffsets(ch.writer, [
        { topic, partition: 0, minOffset: 3, maxOffset: 7, updatedAt: 2_000 },
      ]);
      expect(await mismatchesOf(check())).toEqual([
        `${topic} partition 0: the ClickHouse projection is at offset 8, but the log ends at 3`,
      ]);

      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
      await sleep(1_000);
      await ensureTopics(kafka, [{ topic, partitions: 2 }]);
      const found = await mismatchesOf(check());
      expect(found[0]).toContain(`but the ClickHouse projection was built from topic id ${recorded}`);
      expect(found[1]).toContain('is at offset 8, but the log ends at 0');
    },
  );

  kafkaTest(
    'the latest group must still be readable only while it is not committed',
    async ({ kafka, brokers }) => {
      const topic = uniqueTopic('changes');
      const groupId = uniqueTopic('projector');
      await ensureTopics(kafka, [{ topic, partitions: 1 }]);
      await produceRecords(
        kafka,
        topic,
        [0, 1, 2, 3].map((i) => ({ value: `r${i}` })),
      );
      const check = () =>
        checkProjectionAgainstLog({ kafka, brokers, writer: ch.writer, topics: [topic], groupId });
      await writeSinkOffsets(ch.writer, [
        { topic, partition: 0, minOffset: 1, maxOffset: 2, updatedAt: 5_000 },
      ]);
      // Retention removed offsets 0-2 (as after a week of idling).
      const admin = kafka.admin();
      await admin.connect();
      await admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs needs it loaded first
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
      await admin.disconnect();
      expect(await mismatchesOf(check())).toEqual([
        `${topic} partition 0: the ClickHouse projection must re-read from offset 1, but the log starts at 3`,
      ]);
      // Committed past the group: it was applied, nothing needs re-reading.
      await setCommittedOffsets(kafka, groupId, topic, [{ partition: 0, offset: 3n }]);
      await check();
    },
  );
});

describe('an emptied projection (reset-derived, a new ClickHouse)', () => {
  kafkaTest(
    'is derived again: the group committed past the log start goes back to it',
    async ({ kafka, brokers }) => {
      const topic = uniqueTopic('processed');
      const groupId = uniqueTopic('projector');
      await ensureTopics(kafka, [{ topic, partitions: 2 }]);
      await produceRecords(
        kafka,
        topic,
        [0, 1, 2].map((i) => ({ partition: 0, value: `r${i}` })),
      );
      // The projector had applied and committed everything; then its tables were emptied.
      await setCommittedOffsets(kafka, groupId, topic, [{ partition: 0, offset: 3n }]);
      await checkProjectionAgainstLog({ kafka, brokers, writer: ch.writer, topics: [topic], groupId });
      const committed = await fetchCommittedOffsets(kafka, groupId, [topic]);
      expect(committed.map((c) => [c.partition, c.offset])).toEqual([
        [0, 0n],
        [1, undefined],
      ]);
    },
  );
});

describe('the dedupe state against the log', () => {
  kafkaTest(
    'a checkpoint past the end of events.state, and a re-created events.state, are refused',
    async ({ kafka, brokers }) => {
      const stateTopic = uniqueTopic('state');
      const stateDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-guard-'));
      try {
        await ensureTopics(kafka, [{ topic: stateTopic, partitions: 2, compacted: true }]);
        const stores = inMemoryStateStores();
        const check = () =>
          checkStateAgainstLog({ kafka, brokers, stores, stateDir, stateTopic, partitions: 2 });
        await check();
        const identity = JSON.parse(readFileSync(path.join(stateDir, 'log-identity.json'), 'utf8'));
        expect(identity.topic).toBe(stateTopic);

        stores.open(1).apply([], '5');
        expect(await mismatchesOf(check())).toEqual([
          `${stateTopic} partition 1: the dedupe state in ${stateDir} is at offset 5, but the log ends at 0`,
        ]);
        stores.open(1).clear();
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics: [stateTopic] });
        await admin.disconnect();
        await sleep(1_000);
        await ensureTopics(kafka, [{ topic: stateTopic, partitions: 2, compacted: true }]);
        const [m] = await mismatchesOf(check());
        expect(m).toContain(`was built from topic id ${identity.topicId}`);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  );

  kafkaTest(
    'another processor state is named in its mismatches (the metric-events state)',
    async ({ kafka, brokers }) => {
      const stateTopic = uniqueTopic('metric-state');
      const stateDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-guard-'));
      try {
        await ensureTopics(kafka, [{ topic: stateTopic, partitions: 1, compacted: true }]);
        const stores = inMemoryStateStores();
        stores.open(0).apply([], '4');
        const found = await mismatchesOf(
          checkStateAgainstLog({
            kafka,
            brokers,
            stores,
            stateDir,
            stateTopic,
            partitions: 1,
            name: 'metric-events',
          }),
        );
        expect(found).toEqual([
          `${stateTopic} partition 0: the metric-events state in ${stateDir} is at offset 4, but the log ends at 0`,
        ]);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  );
});
