import { describe, expect, it } from 'vitest';
import { stateChangelogTopic } from './shopfloor-topics.ts';
import { topicConfigs } from './topics.ts';

describe('topicConfigs', () => {
  it('gives compacted topics a compact policy that the cleaner acts on promptly', () => {
    const configs = topicConfigs({ topic: 't', partitions: 1, compacted: true });
    expect(configs['cleanup.policy']).toBe('compact');
    expect(Number(configs['min.cleanable.dirty.ratio'])).toBeLessThan(0.5);
    expect(Number(configs['segment.ms'])).toBeLessThanOrEqual(60_000);
  });

  it('lets explicit configs win and leaves plain topics at broker defaults', () => {
    expect(
      topicConfigs({ topic: 't', partitions: 1, compacted: true, configs: { 'segment.ms': '5' } }),
    ).toMatchObject({ 'cleanup.policy': 'compact', 'segment.ms': '5' });
    expect(topicConfigs({ topic: 't', partitions: 1 })).toEqual({});
  });
});

describe('enforced configs', () => {
  it('are part of the configs a topic is created with, over the others', () => {
    expect(
      topicConfigs({
        topic: 't',
        partitions: 1,
        configs: { 'retention.ms': '1000', 'segment.ms': '5' },
        enforcedConfigs: { 'retention.ms': '-1' },
      }),
    ).toEqual({ 'retention.ms': '-1', 'segment.ms': '5' });
  });
});

describe('state changelogs', () => {
  it("are cleaned at Kafka's default ratio, with 60 s segments rolled with up to 30 s of jitter, both enforced on existing ones", () => {
    const spec = stateChangelogTopic('s', 6);
    expect(spec.enforcedConfigs).toEqual({
      'min.cleanable.dirty.ratio': '0.5',
      'segment.jitter.ms': '30000',
    });
    const configs = topicConfigs(spec);
    expect(configs).toMatchObject({
      'cleanup.policy': 'compact',
      'min.cleanable.dirty.ratio': '0.5',
      'segment.ms': '60000',
      'segment.jitter.ms': '30000',
      'delete.retention.ms': '86400000',
    });
  });
});
