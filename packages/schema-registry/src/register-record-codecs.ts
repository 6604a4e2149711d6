import type { RecordCodec } from '@shopfloor/kafka';
import avro from 'avsc';
import { createAvroRecordCodec } from './avro-record-codec.ts';
import { RegistryClient } from './registry-client.ts';
import { valueSubject } from './registry-codecs.ts';

/** One topic value to register: its topic (subject `<topic>-value`) and its checked-in schema. */
export type RecordCodecSpec = { topic: string; schema: object };

/**
 * The generic form of `registryCodecs`, for the streams beside the events pipeline (each with its
 * own record set): sets FULL_TRANSITIVE on each subject, registers each schema (idempotent),
 * caches every registered version, and returns one Avro `RecordCodec` per entry. Throws a
 * SchemaRegistryError before anything is handed out when the registry is down or refuses a schema.
 * No JSON fallback: these topics were Avro from their first record.
 */
export async function registerRecordCodecs<K extends string>(options: {
  url: string;
  specs: Record<K, RecordCodecSpec>;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}): Promise<Record<K, RecordCodec<unknown>>> {
  const client = new RegistryClient(options.url);
  const log = options.log ?? (() => {});
  const entries = await Promise.all(
    (Object.entries(options.specs) as [K, RecordCodecSpec][]).map(async ([kind, spec]) => {
      const subject = valueSubject(spec.topic);
      await client.setCompatibility(subject);
      const schemaId = await client.register(subject, spec.schema);
      const versions = await client.versions(subject);
      await Promise.all(versions.map(async (v) => client.writerSchema(await client.schemaIdOf(subject, v))));
      log('schema registered', { subject, schemaId, versions: versions.length });
      const codec = createAvroRecordCodec<unknown>({
        subject,
        schemaId,
        type: avro.Type.forSchema(spec.schema as avro.Schema),
        writerSchema: (id) => client.writerSchema(id),
      });
      return [kind, codec] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<K, RecordCodec<unknown>>;
}
