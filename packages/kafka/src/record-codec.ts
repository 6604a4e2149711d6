import {
  type ChangeBatchRecord,
  type DeadLetterRecord,
  type DecodeResult,
  decodeChangeBatchRecord,
  decodeDeadLetterRecord,
  decodeOutcomeRecord,
  decodeRawEventRecord,
  decodeStateRecord,
  type InvalidRecord,
  type KeyChangeRecord,
  type OutcomeRecord,
  type RawEventRecord,
  type StateRecord,
} from '@shopfloor/contracts';
import { decodeJson, encodeJson } from './serde.ts';

/**
 * How one topic's record values become bytes and back. The pipeline reads and writes records only
 * through codecs passed in by the wiring, so the wire format (JSON today, Avro with a schema id
 * through the registry) is a one-place choice. `encode` is synchronous: a codec that needs set-up
 * (registering a schema) does it before it is handed out. `decode` never throws: bytes that are
 * not a record are a `{ ok: false, error }` for the bad-record policy, not a crash.
 */
export interface RecordCodec<T> {
  encode(value: T): Buffer;
  decode(bytes: Buffer | null): Promise<DecodeResult<T>>;
}

/** The codec of every topic value of the pipeline (tombstones of events.state are null, not encoded). */
export interface ShopfloorCodecs {
  raw: RecordCodec<RawEventRecord>;
  deadLetter: RecordCodec<DeadLetterRecord>;
  state: RecordCodec<StateRecord>;
  /** One record per dedupe transaction, holding its decisions (events.change-batches). */
  changes: RecordCodec<ChangeBatchRecord>;
  outcomes: RecordCodec<OutcomeRecord>;
  invalid: RecordCodec<InvalidRecord>;
  /** API key changes (shopfloor.keys). */
  keys: RecordCodec<KeyChangeRecord>;
}

/** UTF-8 JSON validated by a contracts decoder: the pre-registry wire format. */
export function jsonRecordCodec<T>(decoder: (input: unknown) => DecodeResult<T>): RecordCodec<T> {
  return {
    encode: (value) => encodeJson(value),
    decode: async (bytes) => {
      const json = decodeJson(bytes);
      return json.ok ? decoder(json.value) : json;
    },
  };
}

const jsonInvalidCodec: RecordCodec<InvalidRecord> = {
  encode: (r) => encodeJson({ ...r, value: r.value?.toString('base64') ?? null }),
  decode: async (bytes) => {
    const json = decodeJson<Record<string, unknown>>(bytes);
    if (!json.ok) return json;
    const r = json.value;
    if (typeof r !== 'object' || r === null || typeof r.error !== 'string')
      return { ok: false, error: 'not an invalid-record envelope' };
    const value = typeof r.value === 'string' ? Buffer.from(r.value, 'base64') : null;
    return { ok: true, value: { ...(r as unknown as InvalidRecord), value } };
  },
};

/** JSON codecs for every topic. */
export function jsonCodecs(): ShopfloorCodecs {
  return {
    raw: jsonRecordCodec(decodeRawEventRecord),
    deadLetter: jsonRecordCodec(decodeDeadLetterRecord),
    state: jsonRecordCodec((input) => {
      const r = decodeStateRecord(input);
      return r.ok && r.value === null
        ? { ok: false, error: 'value is null' }
        : (r as DecodeResult<StateRecord>);
    }),
    changes: jsonRecordCodec(decodeChangeBatchRecord),
    outcomes: jsonRecordCodec(decodeOutcomeRecord),
    invalid: jsonInvalidCodec,
    keys: jsonRecordCodec((input) => {
      const r = input as KeyChangeRecord | null;
      return typeof r === 'object' &&
        r !== null &&
        typeof r.keyId === 'string' &&
        typeof r.change === 'string'
        ? { ok: true, value: r }
        : { ok: false, error: 'not a key change record' };
    }),
  };
}
