import type { RecordCodec } from '@shopfloor/kafka';
import avro from 'avsc';
import { createAvroRecordCodec } from './avro-record-codec.ts';

/**
 * The Avro codec of one schema under a fixed id, with no registry behind it: what the services
 * write, for code that measures the codec or the Kafka hop and not the registry (the micro-
 * benchmarks). A record of any other schema id does not decode (`{ ok: false }`, the id named).
 */
export function fixedSchemaCodec<T>(
  schema: unknown,
  schemaId: number,
  mapping: { toAvro?: (value: T) => unknown; fromAvro?: (value: unknown) => T } = {},
): RecordCodec<T> {
  return createAvroRecordCodec<T>({
    subject: `fixed-${schemaId}`,
    schemaId,
    type: avro.Type.forSchema(schema as avro.Schema),
    writerSchema: async (id) => {
      throw new Error(`only schema id ${schemaId} is known here, not ${id}`);
    },
    ...mapping,
  });
}
