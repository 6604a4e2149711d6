import type { KeyLog } from '@shopfloor/auth';
import { ensureTopics, keyTopicSpec } from '@shopfloor/kafka';
import { kafkaKeyLog } from '@shopfloor/key-log';
import { registryCodecs } from '@shopfloor/schema-registry';
import type { CliContext } from './cli-context.ts';

/**
 * The key log of the system the command talks to: the compacted key topic on its broker (the
 * embedded default or KAFKA_BROKERS), Avro through its registry. Connects on first use, so
 * `shopfloor keys --help` needs neither.
 */
export function keyLogOf(c: CliContext): KeyLog {
  let log: Promise<KeyLog> | undefined;
  const open = async (): Promise<KeyLog> => {
    const topic = c.config.topics.keys;
    // Created here when the system never ran: with its compaction settings, not the broker's defaults.
    await ensureTopics(c.kafka, [keyTopicSpec(topic)]);
    const codecs = await registryCodecs({ url: c.config.schemaRegistry.url, topics: c.config.topics });
    return kafkaKeyLog({ kafka: c.kafka, topic, codec: codecs.keys });
  };
  const get = () => {
    log ??= open();
    return log;
  };
  return {
    append: async (event) => (await get()).append(event),
    readAll: async () => (await get()).readAll(),
  };
}
