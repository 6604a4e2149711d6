// Encode and decode cost per record, Avro (these codecs, no registry round trip: the schema id is
// known) against the JSON + zod codecs they replace, in the same process. Prints figures only.
// tsx packages/schema-registry/bench/codec-cost.ts
import { type AvroRecordKind, loadAvroSchema } from '@shopfloor/contracts';
import { jsonCodecs, type RecordCodec } from '@shopfloor/kafka';
import { fixedSchemaCodec } from '../src/fixed-schema-codec.ts';
import { outcomeFromAvro, outcomeToAvro } from '../src/record-mappings.ts';
import { sampleRecords } from '../src/sample-records.ts';

const N = 200_000;
const samples = sampleRecords();

function avroCodec(kind: AvroRecordKind): RecordCodec<unknown> {
  return fixedSchemaCodec<unknown>(
    loadAvroSchema(kind),
    1,
    kind === 'outcomes'
      ? { toAvro: outcomeToAvro as (v: unknown) => unknown, fromAvro: outcomeFromAvro }
      : {},
  );
}

async function measure(codec: RecordCodec<unknown>, record: unknown) {
  const bytes = codec.encode(record);
  for (let i = 0; i < 20_000; i++) await codec.decode(codec.encode(record)); // warm up
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) codec.encode(record);
  const encodeUs = Number(process.hrtime.bigint() - t) / N / 1000;
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await codec.decode(bytes);
  const decodeUs = Number(process.hrtime.bigint() - t) / N / 1000;
  return { bytes: bytes.length, encodeUs, decodeUs };
}

const rows: string[] = [
  '| record | format | bytes | encode µs | decode µs |',
  '| --- | --- | --- | --- | --- |',
];
for (const kind of ['raw', 'changes', 'state', 'outcomes'] as const) {
  const record = kind === 'changes' ? samples.changes[1] : samples[kind][0];
  const json = await measure(jsonCodecs()[kind] as RecordCodec<unknown>, record);
  const av = await measure(avroCodec(kind), record);
  const f = (n: number) => n.toFixed(2);
  rows.push(`| ${kind} | JSON + zod | ${json.bytes} | ${f(json.encodeUs)} | ${f(json.decodeUs)} |`);
  rows.push(
    `| ${kind} | Avro | ${av.bytes} | ${f(av.encodeUs)} (JSON/Avro ${f(json.encodeUs / av.encodeUs)}x) | ${f(av.decodeUs)} (JSON/Avro ${f(json.decodeUs / av.decodeUs)}x) |`,
  );
}
console.log(rows.join('\n'));
