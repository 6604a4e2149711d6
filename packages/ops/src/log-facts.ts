import {
  existingTopics,
  fetchLogRanges,
  fetchTopicIds,
  type KafkaClient,
  type PartitionRange,
} from '@shopfloor/kafka';
import type { LogFacts } from './log-mismatch.ts';

/** The current topic ids and log ranges of `topics` (missing topics have neither). */
export async function readLogFacts(
  kafka: KafkaClient,
  brokers: string[],
  topics: readonly string[],
): Promise<LogFacts> {
  const present = await existingTopics(kafka, topics);
  const { topicIds } = await fetchTopicIds(brokers, [...present]);
  const ranges = new Map<string, PartitionRange[]>();
  for (const topic of present) ranges.set(topic, await fetchLogRanges(kafka, topic));
  return { topicIds, ranges };
}
