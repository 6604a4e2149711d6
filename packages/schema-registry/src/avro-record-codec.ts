import type { RecordCodec } from '@shopfloor/kafka';
import type { Type } from 'avsc';
import { framedEncoder, HEADER_BYTES, readHeader } from './wire-format.ts';

type Resolver = ReturnType<Type['createResolver']>;
type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AvroRecordCodecOptions<T> {
  /** `<topic>-value`, for error messages. */
  subject: string;
  /** The id the registry gave our (checked-in) schema: every record we write carries it. */
  schemaId: number;
  /** Our schema, the writer of what we encode and the reader of everything we decode. */
  type: Type;
  /** The writer schema of another id (another version of the subject), from the registry or its cache. */
  writerSchema: (schemaId: number) => Promise<Type>;
  /** Record ↔ Avro value, where the TypeScript shape differs from the Avro one. Identity by default. */
  toAvro?: (value: T) => unknown;
  fromAvro?: (value: unknown) => T;
  /** Reads records of the pre-Avro JSON wire format (first byte `{`), so old topics still decode. */
  legacyJson?: RecordCodec<T>;
}

const identity = <V>(v: unknown) => v as V;

/**
 * A RecordCodec for one subject. Encoding is synchronous (Avro body + Confluent header, no I/O).
 * Decoding reads any registered version: the writer schema is looked up by id once, then a resolver
 * to our schema is cached. Never throws: a value that does not decode is `{ ok: false, error }`.
 */
export function createAvroRecordCodec<T>(options: AvroRecordCodecOptions<T>): RecordCodec<T> {
  const { subject, schemaId, type, writerSchema, legacyJson } = options;
  const toAvro = options.toAvro ?? identity;
  const fromAvro = options.fromAvro ?? identity<T>;
  const resolvers = new Map<number, Resolver>();
  const encodeFramed = framedEncoder(schemaId, type);

  async function resolverFor(id: number): Promise<DecodeResult<Resolver>> {
    const cached = resolvers.get(id);
    if (cached) return { ok: true, value: cached };
    let writer: Type;
    try {
      writer = await writerSchema(id);
    } catch (err) {
      return { ok: false, error: `schema id ${id} (${subject}): ${(err as Error).message}` };
    }
    try {
      const resolver = type.createResolver(writer);
      resolvers.set(id, resolver);
      return { ok: true, value: resolver };
    } catch (err) {
      return { ok: false, error: `schema id ${id} cannot be read as ${subject}: ${(err as Error).message}` };
    }
  }

  return {
    encode: (value) => encodeFramed(toAvro(value)),
    decode: async (bytes) => {
      const header = readHeader(bytes);
      if (header.kind === 'json') {
        if (legacyJson) return legacyJson.decode(bytes);
        return {
          ok: false,
          error: 'value is JSON of the pre-Avro wire format, and this codec reads Avro only',
        };
      }
      if (header.kind === 'bad') return { ok: false, error: header.error };
      const buf = bytes as Buffer;
      let resolver: Resolver | undefined;
      if (header.schemaId !== schemaId) {
        const r = await resolverFor(header.schemaId);
        if (!r.ok) return r;
        resolver = r.value;
      }
      try {
        const { value, offset } = type.decode(buf, HEADER_BYTES, resolver);
        if (offset < 0)
          return {
            ok: false,
            error: `truncated Avro body (${buf.length} bytes, schema id ${header.schemaId})`,
          };
        if (offset !== buf.length)
          return {
            ok: false,
            error: `${buf.length - offset} trailing bytes after the Avro body (schema id ${header.schemaId})`,
          };
        return { ok: true, value: fromAvro(value) };
      } catch (err) {
        return {
          ok: false,
          error: `corrupt Avro body (schema id ${header.schemaId}): ${(err as Error).message}`,
        };
      }
    },
  };
}
