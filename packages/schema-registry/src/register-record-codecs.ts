import type { RecordCodec } from '@shopfloor/kafka';
import avro from 'avsc';
import { createAvroRecordCodec } from './avro-record-codec.ts';
import { RegistryClient } from './registry-client.ts';

/** Subject of a topic's record values (Confluent's TopicNameStrategy). */
export const valueSubject = (topic: string) => `${topic}-value`;

/** One topic value to register: its topic (subject `<topic>-value`) and its checked-in schema. */
export type RecordCodecSpec<T = unknown> = {
  topic: string;
  /** The checked-in schema (parsed .avsc), or an evolved copy in tests. */
  schema: object;
  /** Where the TypeScript record and the Avro record differ in shape. */
  toAvro?: (value: T) => unknown;
  fromAvro?: (value: unknown) => T;
  /** Reads records of a pre-Avro JSON wire format; none: a JSON record is a decode error. */
  legacyJson?: RecordCodec<T>;
};

/**
 * The codecs of one stream's topic values through the registry, for every stream (the events
 * pipeline's `registryCodecs`, the sensor and metric-events streams): sets FULL_TRANSITIVE on the
 * registry's default and on each subject, registers each schema (idempotent: an unchanged schema
 * keeps its id), caches every registered version (so the registry may be down later) and returns
 * one Avro `RecordCodec` per entry. Throws a SchemaRegistryError before anything is handed out when
 * the registry is down or refuses a schema, so a service never half starts.
 */
export async function registerRecordCodecs<K extends string>(options: {
  url: string;
  /** The stream's record kinds, and each one's topic and schema. */
  kinds: readonly K[];
  specOf: (kind: K) => RecordCodecSpec;
  log?: ((line: string, fields?: Record<string, unknown>) => void) | undefined;
}): Promise<Record<K, RecordCodec<unknown>>> {
  const client = new RegistryClient(options.url);
  await client.setCompatibility(undefined);
  const entries = await Promise.all(
    options.kinds.map(
      async (kind) => [kind, await registerRecordCodec(client, options.specOf(kind), options.log)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<K, RecordCodec<unknown>>;
}

/** One subject: its compatibility level, its schema registered, its versions cached, its codec. */
async function registerRecordCodec(
  client: RegistryClient,
  spec: RecordCodecSpec,
  log: ((line: string, fields?: Record<string, unknown>) => void) | undefined,
): Promise<RecordCodec<unknown>> {
  const subject = valueSubject(spec.topic);
  await client.setCompatibility(subject);
  const schemaId = await client.register(subject, spec.schema);
  const versions = await client.versions(subject);
  await Promise.all(versions.map(async (v) => client.writerSchema(await client.schemaIdOf(subject, v))));
  log?.('schema registered', { subject, schemaId, versions: versions.length });
  return createAvroRecordCodec<unknown>({
    subject,
    schemaId,
    type: avro.Type.forSchema(spec.schema as avro.Schema),
    writerSchema: (id) => client.writerSchema(id),
    ...(spec.toAvro ? { toAvro: spec.toAvro } : {}),
    ...(spec.fromAvro ? { fromAvro: spec.fromAvro } : {}),
    ...(spec.legacyJson ? { legacyJson: spec.legacyJson } : {}),
  });
}
