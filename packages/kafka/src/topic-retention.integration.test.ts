import { describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from './kafkajs.ts';
import { shopfloorTopicSpecs, stateChangelogTopic } from './shopfloor-topics.ts';
import { testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';

const kafka = testKafka();

async function configsOf(topic: string): Promise<Map<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return new Map((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('the retention of the topics projections are rebuilt from (Kafka 3.9)', () => {
  it('creates events.raw, events.change-batches and events.dlq with retention.ms=-1, and the others with the default', async () => {
    const prefix = uniqueName('keep');
    const names = {
      raw: `${prefix}.raw`,
      state: `${prefix}.state`,
      changes: `${prefix}.changes`,
      deadLetter: `${prefix}.dlq`,
      outcomes: `${prefix}.outcomes`,
      invalid: `${prefix}.invalid`,
      keys: `${prefix}.keys`,
    };
    await ensureTopics(kafka, shopfloorTopicSpecs(names, 1));
    for (const topic of [names.raw, names.changes, names.deadLetter])
      expect((await configsOf(topic)).get('retention.ms'), topic).toBe('-1');
    expect((await configsOf(names.outcomes)).get('retention.ms')).not.toBe('-1');
  });

  it('alters an existing topic to its enforced configs and keeps its other dynamic configs', async () => {
    const topic = uniqueName('existing');
    await ensureTopics(kafka, [
      { topic, partitions: 1, configs: { 'retention.ms': '60000', 'max.message.bytes': '2000000' } },
    ]);
    expect((await configsOf(topic)).get('retention.ms')).toBe('60000');
    const created = await ensureTopics(kafka, [
      { topic, partitions: 1, enforcedConfigs: { 'retention.ms': '-1', 'retention.bytes': '-1' } },
    ]);
    expect(created).toEqual([]);
    const configs = await configsOf(topic);
    expect(configs.get('retention.ms')).toBe('-1');
    expect(configs.get('max.message.bytes')).toBe('2000000');
    // Already as wanted: nothing to alter, nothing changes.
    await ensureTopics(kafka, [{ topic, partitions: 1, enforcedConfigs: { 'retention.ms': '-1' } }]);
    expect((await configsOf(topic)).get('max.message.bytes')).toBe('2000000');
  });

  it("upgrades an existing state changelog's 1 % cleaning ratio to 0.5 and adds segment jitter, its other configs kept", async () => {
    const topic = uniqueName('old-state');
    // As changelogs were created before: the compacted defaults' 1 % ratio, 60 s segments.
    await ensureTopics(kafka, [
      { topic, partitions: 1, compacted: true, configs: { 'segment.ms': '60000' } },
    ]);
    expect((await configsOf(topic)).get('min.cleanable.dirty.ratio')).toBe('0.01');
    await ensureTopics(kafka, [stateChangelogTopic(topic, 1)]);
    const configs = await configsOf(topic);
    expect(configs.get('min.cleanable.dirty.ratio')).toBe('0.5');
    expect(configs.get('segment.jitter.ms')).toBe('30000');
    expect(configs.get('cleanup.policy')).toBe('compact');
    expect(configs.get('segment.ms')).toBe('60000');
  });
});
