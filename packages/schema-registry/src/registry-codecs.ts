import { type AvroRecordKind, loadAvroSchema, type ShopfloorTopics } from '@shopfloor/contracts';
import { jsonCodecs, type RecordCodec, type ShopfloorCodecs } from '@shopfloor/kafka';
import avro from 'avsc';
import { createAvroRecordCodec } from './avro-record-codec.ts';
import { deadLetterFromAvro, deadLetterToAvro, outcomeFromAvro, outcomeToAvro } from './record-mappings.ts';
import { RegistryClient } from './registry-client.ts';

export interface RegistryCodecsOptions {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  url: string;
  topics: ShopfloorTopics;
  /** The schemas to register; default: the checked-in .avsc files. Tests pass evolved copies. */
  schemas?: Partial<Record<AvroRecordKind, object>>;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}

/** Subject of a topic's record values (Confluent's TopicNameStrategy). */
export const valueSubject = (topic: string) => `${topic}-value`;

const KINDS: readonly AvroRecordKind[] = [
  'raw',
  'deadLetter',
  'state',
  'changes',
  'outcomes',
  'invalid',
  'keys',
];

/** Where the TypeScript record and the Avro record differ in shape (see record-mappings.ts). */
type Mapping = { toAvro: (v: unknown) => unknown; fromAvro: (v: unknown) => unknown };
const MAPPINGS: Partial<Record<AvroRecordKind, Mapping>> = {
  deadLetter: { toAvro: deadLetterToAvro as Mapping['toAvro'], fromAvro: deadLetterFromAvro },
  outcomes: { toAvro: outcomeToAvro as Mapping['toAvro'], fromAvro: outcomeFromAvro },
};

/**
 * Registers the schema of every topic value (idempotently: an unchanged schema keeps its id), sets
 * each subject's compatibility level, loads every registered version of each subject into the cache
 * and returns the codecs. Throws a SchemaRegistryError before anything is handed out when the
 * registry is down or refuses a schema, so a service never half starts. Once running, the codecs
 * need the registry only for a schema id they have never seen.
 */
export async function registryCodecs(options: RegistryCodecsOptions): Promise<ShopfloorCodecs> {
  const client = await connectRegistry(options.url);
  const legacy = jsonCodecs();
  const entries = await Promise.all(
    KINDS.map(async (kind) => {
      const codec = await registerRecordCodec<unknown>(client, {
        subject: valueSubject(options.topics[kind]),
        schema: options.schemas?.[kind] ?? loadAvroSchema(kind),
        ...(MAPPINGS[kind] ?? {}),
        legacyJson: legacy[kind] as RecordCodec<unknown>,
        ...(options.log ? { log: options.log } : {}),
      });
      return [kind, codec] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as ShopfloorCodecs;
}

/** A client of the registry at `url`, its global compatibility level set (start-up work). */
export async function connectRegistry(url: string): Promise<RegistryClient> {
  const client = new RegistryClient(url);
  await client.setCompatibility(undefined);
  return client;
}

export type RegisterRecordCodecOptions<T> = {
  subject: string;
  /** The checked-in schema (parsed .avsc). */
  schema: object;
  toAvro?: (value: T) => unknown;
  fromAvro?: (value: unknown) => T;
  /** Reads records of a pre-Avro JSON wire format; none: a JSON record is a decode error. */
  legacyJson?: RecordCodec<T>;
  log?: (line: string, fields?: Record<string, unknown>) => void;
};

/**
 * One subject's codec: sets its compatibility level, registers the schema (idempotent), loads every
 * registered version into the cache (so the registry may be down later), and returns the codec.
 * Every stream's codecs are built with it (`registryCodecs` here, the sensor stream's in its service).
 */
export async function registerRecordCodec<T>(
  client: RegistryClient,
  options: RegisterRecordCodecOptions<T>,
): Promise<RecordCodec<T>> {
  const { subject, schema } = options;
  await client.setCompatibility(subject);
  const schemaId = await client.register(subject, schema);
  const versions = await client.versions(subject);
  await Promise.all(versions.map(async (v) => client.writerSchema(await client.schemaIdOf(subject, v))));
  options.log?.('schema registered', { subject, schemaId, versions: versions.length });
  return createAvroRecordCodec<T>({
    subject,
    schemaId,
    type: avro.Type.forSchema(schema as avro.Schema),
    writerSchema: (id) => client.writerSchema(id),
    ...(options.toAvro ? { toAvro: options.toAvro } : {}),
    ...(options.fromAvro ? { fromAvro: options.fromAvro } : {}),
    ...(options.legacyJson ? { legacyJson: options.legacyJson } : {}),
  });
}
