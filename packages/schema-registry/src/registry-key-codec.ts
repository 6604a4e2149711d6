import { AVRO_SCHEMA_FILES, type KeyChangeRecord, loadAvroSchema } from '@shopfloor/contracts';
import { jsonCodecs, type RecordCodec } from '@shopfloor/kafka';
import { registryCodecsOf } from './registry-codecs-of.ts';

/**
 * The key log's codec alone (the API keys topic), for a process that serves HTTP but no events
 * topic (the sensors and metric-events mains): only its one subject is registered, not the events
 * stream's.
 */
export async function registryKeyCodec(options: {
  url: string;
  topics: { keys: string };
  log?: ((line: string, fields?: Record<string, unknown>) => void) | undefined;
}): Promise<RecordCodec<KeyChangeRecord>> {
  const { keys } = await registryCodecsOf<{ keys: RecordCodec<KeyChangeRecord> }>({
    url: options.url,
    files: { keys: AVRO_SCHEMA_FILES.keys },
    load: loadAvroSchema,
    topics: { keys: options.topics.keys },
    legacyJson: { keys: jsonCodecs().keys },
    log: options.log,
  });
  return keys;
}
