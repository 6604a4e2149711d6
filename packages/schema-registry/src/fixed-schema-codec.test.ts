import { loadAvroSchema } from '@shopfloor/contracts';
import { expect, test } from 'vitest';
import { fixedSchemaCodec } from './fixed-schema-codec.ts';
import { outcomeFromAvro, outcomeToAvro } from './record-mappings.ts';
import { sampleRecords } from './sample-records.ts';
import { readHeader } from './wire-format.ts';

const [raw] = sampleRecords().raw;
const [outcome] = sampleRecords().outcomes;

test('a record round-trips under the fixed id, which its header carries', async () => {
  const codec = fixedSchemaCodec(loadAvroSchema('raw'), 42);
  const bytes = codec.encode(raw);
  expect(readHeader(bytes)).toEqual({ kind: 'avro', schemaId: 42 });
  expect(await codec.decode(bytes)).toEqual({ ok: true, value: raw });
});

test('the mapping applies both ways', async () => {
  const codec = fixedSchemaCodec<unknown>(loadAvroSchema('outcomes'), 3, {
    toAvro: outcomeToAvro as (v: unknown) => unknown,
    fromAvro: outcomeFromAvro,
  });
  expect(await codec.decode(codec.encode(outcome))).toEqual({ ok: true, value: outcome });
});

test('a record of another schema id does not decode, and the answer names both ids', async () => {
  const other = fixedSchemaCodec(loadAvroSchema('raw'), 2).encode(raw);
  const result = await fixedSchemaCodec(loadAvroSchema('raw'), 1).decode(other);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toMatch(/only schema id 1 is known here, not 2/);
});
