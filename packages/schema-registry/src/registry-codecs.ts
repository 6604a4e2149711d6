import {
  AVRO_SCHEMA_FILES,
  type AvroRecordKind,
  loadAvroSchema,
  type ShopfloorTopics,
} from '@shopfloor/contracts';
import { jsonCodecs, type ShopfloorCodecs } from '@shopfloor/kafka';
import { deadLetterFromAvro, deadLetterToAvro, outcomeFromAvro, outcomeToAvro } from './record-mappings.ts';
import { registryCodecsOf } from './registry-codecs-of.ts';

export interface RegistryCodecsOptions {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  url: string;
  topics: ShopfloorTopics;
  /** The schemas to register; default: the checked-in .avsc files. Tests pass evolved copies. */
  schemas?: Partial<Record<AvroRecordKind, object>>;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}

/** Where the TypeScript record and the Avro record differ in shape (see record-mappings.ts). */
type Mapping = { toAvro: (v: unknown) => unknown; fromAvro: (v: unknown) => unknown };
const MAPPINGS: Partial<Record<AvroRecordKind, Mapping>> = {
  deadLetter: { toAvro: deadLetterToAvro as Mapping['toAvro'], fromAvro: deadLetterFromAvro },
  outcomes: { toAvro: outcomeToAvro as Mapping['toAvro'], fromAvro: outcomeFromAvro },
};

/**
 * The events pipeline's codecs (`registryCodecsOf` over its schema file table): every topic value's schema
 * registered, every registered version cached, and the pre-Avro JSON records still readable. Once
 * running, the codecs need the registry only for a schema id they have never seen.
 */
export async function registryCodecs(options: RegistryCodecsOptions): Promise<ShopfloorCodecs> {
  return registryCodecsOf<ShopfloorCodecs>({
    url: options.url,
    files: AVRO_SCHEMA_FILES,
    load: loadAvroSchema,
    topics: options.topics,
    schemas: options.schemas,
    mappings: MAPPINGS,
    legacyJson: jsonCodecs(),
    log: options.log,
  });
}
