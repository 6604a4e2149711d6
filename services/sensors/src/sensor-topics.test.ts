import { loadConfig } from '@shopfloor/config';
import { describe, expect, it } from 'vitest';
import { sensorTopicSpecs, sensorTopicSpecsOf, sensorTopics } from './sensor-topics.ts';

describe('sensor topic specs', () => {
  it('keep forever what a rebuild reads (and the raw readings), never the compacted state', () => {
    const names = sensorTopics('p.');
    const specs = new Map(sensorTopicSpecs(names, 4).map((s) => [s.topic, s]));
    // And every topic takes a partition's bulk write as one message (a processor's transaction).
    const large = { 'max.message.bytes': String(64 * 1024 * 1024) };
    const forever = { 'retention.ms': '-1', 'retention.bytes': '-1', ...large };
    const kept = [
      names.raw,
      names.processed,
      names.processedBatches,
      names.alerts,
      names.resolutions,
      names.deadLetter,
    ];
    for (const topic of kept) expect(specs.get(topic)?.enforcedConfigs, topic).toEqual(forever);
    expect(specs.get(names.state)).toMatchObject({ compacted: true });
    // Its cleaning ratio and segment jitter are enforced, never a retention: the state is not rebuilt from it.
    expect(specs.get(names.state)?.enforcedConfigs).toEqual({
      'min.cleanable.dirty.ratio': '0.5',
      'segment.jitter.ms': '30000',
      ...large,
    });
    // Reading identities are written once: never compacted (compaction would only copy them again
    // at every cleaning), kept forever like the logs; compacted only when a horizon tombstones them.
    expect(specs.get(names.identities)).not.toHaveProperty('compacted');
    expect(specs.get(names.identities)?.enforcedConfigs).toEqual({
      'cleanup.policy': 'delete',
      ...forever,
    });
    expect(specs.size).toBe(kept.length + 2);
    const withHorizon = new Map(sensorTopicSpecs(names, 4, { horizon: true }).map((s) => [s.topic, s]));
    expect(withHorizon.get(names.identities)).toMatchObject({
      compacted: true,
      enforcedConfigs: { 'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.5' },
    });
  });

  it('take the partition count and the identities policy from the configuration', () => {
    const names = sensorTopics();
    const identitiesOf = (env: Record<string, string>) =>
      sensorTopicSpecsOf(names, loadConfig(env)).find((s) => s.topic === names.identities);
    expect(identitiesOf({ SHOPFLOOR_SENSOR_PARTITIONS: '3' })).toMatchObject({
      partitions: 3,
      enforcedConfigs: { 'cleanup.policy': 'delete' },
    });
    expect(identitiesOf({ SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS: '86400' })).toMatchObject({
      compacted: true,
      enforcedConfigs: { 'cleanup.policy': 'compact' },
    });
  });
});
