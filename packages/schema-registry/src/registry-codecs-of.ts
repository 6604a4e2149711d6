import type { RecordCodec } from '@shopfloor/kafka';
import { type RecordCodecSpec, registerRecordCodecs } from './register-record-codecs.ts';

type LogLine = (line: string, fields?: Record<string, unknown>) => void;

/**
 * One stream's codecs through the registry, from its checked-in schema file table: every key of
 * `files` is a record kind, registered as `<topics[kind]>-value` with `load(kind)` (or the test's
 * `schemas[kind]`), with the kind's shape mapping and pre-Avro JSON reader when it has one.
 * `Codecs` names each kind's record type; the registry hands out `RecordCodec<unknown>`, so the
 * stream's schema tests are what tie the two.
 */
export async function registryCodecsOf<Codecs extends object>(options: {
  url: string;
  /** The stream's schema file table (contracts' `*_AVRO_SCHEMA_FILES`): its keys are the kinds. */
  files: { readonly [K in keyof Codecs & string]: string };
  load: (kind: keyof Codecs & string) => object;
  topics: { readonly [K in keyof Codecs & string]: string };
  /** Schemas to register instead of the checked-in ones (tests of evolution). */
  schemas?: Partial<Record<keyof Codecs & string, object>> | undefined;
  /** Where the TypeScript record and the Avro record differ in shape. */
  mappings?: Partial<Record<keyof Codecs & string, Pick<RecordCodecSpec, 'toAvro' | 'fromAvro'>>>;
  /** Readers of a pre-Avro JSON wire format, per kind. */
  legacyJson?: Partial<Codecs>;
  log?: LogLine | undefined;
}): Promise<Codecs> {
  type Kind = keyof Codecs & string;
  const codecs = await registerRecordCodecs({
    url: options.url,
    kinds: Object.keys(options.files) as Kind[],
    specOf: (kind) => {
      const legacyJson = options.legacyJson?.[kind] as RecordCodec<unknown> | undefined;
      return {
        topic: options.topics[kind],
        schema: options.schemas?.[kind] ?? options.load(kind),
        ...(options.mappings?.[kind] ?? {}),
        ...(legacyJson ? { legacyJson } : {}),
      };
    },
    log: options.log,
  });
  return codecs as unknown as Codecs;
}
