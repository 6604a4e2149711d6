import { readFileSync } from 'node:fs';
import { jsonCodecs } from '@shopfloor/kafka';
import { describe, expect, it } from 'vitest';
import { createDecodeRawBatchStep, createDecodeRawRecordStep } from './decode-raw-batch-step.ts';

const record = JSON.parse(
  readFileSync(
    new URL('../../../packages/contracts/fixtures/raw-event-record.v1.json', import.meta.url),
    'utf8',
  ),
);
const codec = jsonCodecs().raw;
const good = (offset: string) => ({
  key: Buffer.from('E-1'),
  value: Buffer.from(JSON.stringify(record)),
  offset,
});
const garbage = (offset: string) => ({ key: Buffer.from('E-2'), value: Buffer.from([0x7b, 0xff]), offset });

describe('decodeRawRecord', () => {
  const decodeRawRecord = createDecodeRawRecordStep({ codec });

  it('is ok with the record when the bytes are one', async () => {
    expect(await decodeRawRecord(good('0'))).toEqual({ kind: 'ok', value: record });
  });

  it('is a dlq with the reason when they are not, null included', async () => {
    expect(await decodeRawRecord(garbage('1'))).toMatchObject({
      kind: 'dlq',
      reason: expect.stringContaining('UTF-8'),
    });
    expect(await decodeRawRecord({ value: Buffer.from('{"v":1}'), offset: '2' })).toMatchObject({
      kind: 'dlq',
    });
    expect(await decodeRawRecord({ value: null, offset: '3' })).toEqual({
      kind: 'dlq',
      reason: 'value is null',
    });
  });
});

describe('decodeRawBatch', () => {
  it('parks undecodable records for events.invalid with the dead-letter policy', async () => {
    const decodeRawBatch = createDecodeRawBatchStep({ codec, policy: 'dead-letter', topic: 'events.raw' });
    const result = await decodeRawBatch(4, [good('10'), garbage('11'), good('12')]);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.value.records).toEqual([record, record]);
    expect(result.value.invalid).toEqual([
      {
        key: Buffer.from('E-2'),
        record: {
          v: 1,
          topic: 'events.raw',
          partition: 4,
          offset: '11',
          error: expect.stringContaining('UTF-8'),
          value: Buffer.from([0x7b, 0xff]),
        },
      },
    ]);
    // The parked record survives the invalid topic's codec byte for byte.
    const invalidCodec = jsonCodecs().invalid;
    const parked = result.value.invalid[0]!.record;
    expect(await invalidCodec.decode(invalidCodec.encode(parked))).toEqual({ ok: true, value: parked });
  });

  it('makes the batch a dlq naming the offset with the stop policy', async () => {
    const decodeRawBatch = createDecodeRawBatchStep({ codec, policy: 'stop', topic: 'events.raw' });
    expect(await decodeRawBatch(4, [good('10'), garbage('11')])).toEqual({
      kind: 'dlq',
      reason: expect.stringMatching(/^undecodable record at events\.raw partition 4 offset 11: /),
    });
  });

  it('decodes a clean batch the same under both policies', async () => {
    for (const policy of ['dead-letter', 'stop'] as const) {
      const decodeRawBatch = createDecodeRawBatchStep({ codec, policy, topic: 'events.raw' });
      expect(await decodeRawBatch(0, [good('0'), good('1')])).toEqual({
        kind: 'ok',
        value: { records: [record, record], invalid: [] },
      });
    }
  });
});
