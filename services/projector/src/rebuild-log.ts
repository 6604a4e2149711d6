import type { KafkaClient } from '@shopfloor/kafka';

/** Every partition of each topic. */
export async function topicPartitions(
  kafka: KafkaClient,
  topics: readonly string[],
): Promise<Map<string, number[]>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out = new Map<string, number[]>();
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      out.set(
        topic,
        offsets.map((o) => o.partition).sort((a, b) => a - b),
      );
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Refuses a rebuild from a log that lost its beginning (retention or deleted records): the rebuilt
 * tables would silently miss those records. The projector's input topics are created with
 * retention.ms=-1 for this reason.
 */
export async function checkLogComplete(kafka: KafkaClient, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      for (const o of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(o.low) > 0n)
          throw new Error(
            `${topic}[${o.partition}] starts at offset ${o.low}: earlier records were deleted (retention), so a rebuild would miss them; set retention.ms=-1 on the projector's input topics`,
          );
      }
    }
  } finally {
    await admin.disconnect();
  }
}
