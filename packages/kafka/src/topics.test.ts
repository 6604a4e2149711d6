import { describe, expect, it } from 'vitest';
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
