import { type AvroRecordKind, loadAvroSchema } from '@shopfloor/contracts';
import { jsonCodecs, type RecordCodec } from '@shopfloor/kafka';
import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { createAvroRecordCodec } from './avro-record-codec.ts';
import { deadLetterFromAvro, deadLetterToAvro, outcomeFromAvro, outcomeToAvro } from './record-mappings.ts';
import { sampleRecords } from './sample-records.ts';
import { frame } from './wire-format.ts';

const KINDS: AvroRecordKind[] = ['raw', 'deadLetter', 'state', 'changes', 'outcomes', 'invalid'];
const MAPPINGS = {
  deadLetter: { toAvro: deadLetterToAvro, fromAvro: deadLetterFromAvro },
  outcomes: { toAvro: outcomeToAvro, fromAvro: outcomeFromAvro },
} as Partial<Record<AvroRecordKind, { toAvro: (v: unknown) => unknown; fromAvro: (v: unknown) => unknown }>>;

/** A codec whose "registry" is a map of id → schema (this is the pure part; the real one is tested too). */
function codecOf(
  kind: AvroRecordKind,
  schemaId = 7,
  others: Record<number, object> = {},
): RecordCodec<unknown> {
  const schema = loadAvroSchema(kind);
  return createAvroRecordCodec<unknown>({
    subject: `events.${kind}-value`,
    schemaId,
    type: avro.Type.forSchema(schema as avro.Schema),
    writerSchema: async (id) => {
      const s = others[id];
      if (!s) throw new Error('unknown schema id (Schema 99 not found.)');
      return avro.Type.forSchema(s as avro.Schema);
    },
    ...(MAPPINGS[kind] ?? {}),
    legacyJson: jsonCodecs()[kind] as RecordCodec<unknown>,
  });
}

const samples = sampleRecords();

describe('Avro record codecs of every topic value', () => {
  test.each(
    KINDS,
  )('%s: every sample survives encode → decode unchanged, with the schema id in front', async (kind) => {
    const codec = codecOf(kind, 258);
    for (const record of samples[kind]) {
      const bytes = codec.encode(record);
      expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
      const decoded = await codec.decode(bytes);
      expect(decoded).toEqual({ ok: true, value: record });
    }
  });

  test('a dead letter keeps the exact text of the element, spaces and 1.50 included', async () => {
    const codec = codecOf('deadLetter');
    const record = samples.deadLetter[1] as { payloadJson: string };
    const decoded = await codec.decode(codec.encode(record));
    expect(decoded.ok && (decoded.value as { payloadJson: string }).payloadJson).toBe(
      ' {"eventId": "E-2" , "durationMs":1.50}',
    );
  });

  test.each(KINDS)('%s: a record written by the JSON version still decodes (read both)', async (kind) => {
    const json = jsonCodecs()[kind] as RecordCodec<unknown>;
    const record = samples[kind][0];
    expect(await codecOf(kind).decode(json.encode(record))).toEqual({ ok: true, value: record });
  });

  test('a record of an older schema version decodes into the current one (default for the new field)', async () => {
    const current = loadAvroSchema('raw') as { fields: object[] };
    const older = { ...current, fields: current.fields.filter((f) => (f as { name: string }).name !== 'v') };
    const record = samples.raw[0] as Record<string, unknown>;
    const { v: _v, ...withoutV } = record;
    const bytes = frame(3, avro.Type.forSchema(older as avro.Schema).toBuffer(withoutV));
    expect(await codecOf('raw', 7, { 3: older }).decode(bytes)).toEqual({ ok: true, value: record });
  });

  describe('bytes that are not a record give a precise reason, never a throw', () => {
    const codec = codecOf('raw', 7);
    const good = codec.encode(samples.raw[0]);
    test.each([
      ['null', null, 'value is null'],
      ['empty', Buffer.alloc(0), 'value is 0 bytes, shorter than the 5-byte header (magic byte + schema id)'],
      ['wrong magic byte', Buffer.from([1, 0, 0, 0, 7, 2]), 'wrong magic byte 0x01 (expected 0x00)'],
      ['header only', good.subarray(0, 5), 'truncated Avro body (5 bytes, schema id 7)'],
      ['truncated', good.subarray(0, good.length - 3), 'truncated Avro body'],
      ['trailing bytes', Buffer.concat([good, Buffer.from([1, 2])]), '2 trailing bytes after the Avro body'],
      [
        'unknown schema id',
        frame(99, Buffer.from([2])),
        'schema id 99 (events.raw-value): unknown schema id',
      ],
      ['bad JSON of the old format', Buffer.from('{"v":1,'), 'value is not valid JSON'],
    ] as const)('%s', async (_name, bytes, reason) => {
      const r = await codec.decode(bytes as Buffer | null);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(reason);
    });

    test('garbage after a valid header', async () => {
      const r = await codec.decode(Buffer.from([0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
      expect(r.ok).toBe(false);
    });

    test('a writer schema that cannot be read as ours', async () => {
      const other = {
        type: 'record',
        name: 'io.shopfloor.wire.RawEventRecord',
        fields: [{ name: 'batchId', type: 'int' }],
      };
      const r = await codecOf('raw', 7, { 5: other }).decode(frame(5, Buffer.from([2])));
      expect(r).toEqual({
        ok: false,
        error: expect.stringContaining('schema id 5 cannot be read as events.raw-value'),
      });
    });
  });
});
