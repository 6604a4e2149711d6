import type { TopicSpec } from './topics.ts';

export interface ShopfloorTopicNames {
  raw: string;
  state: string;
  changes: string;
  deadLetter: string;
  outcomes: string;
  invalid: string;
}

/**
 * The topics of the pipeline. events.raw, events.state and events.changes are co-partitioned: the
 * same partition count, and the dedupe consumer writes state and changes to the partition of the
 * raw record it decided, so one owner holds every version of an eventId and its state.
 */
export function shopfloorTopicSpecs(names: ShopfloorTopicNames, partitions: number): TopicSpec[] {
  return [
    { topic: names.raw, partitions },
    {
      topic: names.state,
      partitions,
      compacted: true,
      // Tombstones must outlive any checkpoint a restarted member may resume from.
      configs: { 'segment.ms': '60000', 'delete.retention.ms': '86400000' },
    },
    { topic: names.changes, partitions },
    { topic: names.deadLetter, partitions: 1 },
    { topic: names.outcomes, partitions: 1 },
    { topic: names.invalid, partitions: 1 },
  ];
}
