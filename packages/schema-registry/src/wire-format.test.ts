import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { frame, framedEncoder, readHeader } from './wire-format.ts';

describe('Confluent wire format', () => {
  test('magic byte 0, schema id big-endian, then the body', () => {
    expect([...frame(0x01020304, Buffer.from([9, 8]))]).toEqual([0, 1, 2, 3, 4, 9, 8]);
    expect(readHeader(frame(0x01020304, Buffer.alloc(0)))).toEqual({ kind: 'avro', schemaId: 0x01020304 });
  });

  test('a JSON object of the pre-Avro format is told apart from a bad record', () => {
    expect(readHeader(Buffer.from('{"v":1}'))).toEqual({ kind: 'json' });
    expect(readHeader(Buffer.from('[1,2,3]'))).toEqual({
      kind: 'bad',
      error: 'wrong magic byte 0x5b (expected 0x00): not a schema-registry record',
    });
  });

  test('framedEncoder writes what frame(id, toBuffer(value)) writes, past its scratch size too', () => {
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'T',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'items', type: { type: 'array', items: 'string' } },
      ],
    });
    const encode = framedEncoder(7, type);
    const small = { id: 'é-1', items: ['a', 'b'] };
    const large = { id: 'x', items: Array.from({ length: 20_000 }, (_, i) => `item-${i}`) }; // > 64 KiB
    const first = encode(small);
    const second = encode(large);
    const third = encode(small);
    expect(first.equals(frame(7, type.toBuffer(small)))).toBe(true);
    expect(second.equals(frame(7, type.toBuffer(large)))).toBe(true);
    expect(third.equals(first)).toBe(true);
    // Each record owns its bytes: later encodes do not overwrite an earlier one.
    expect(type.fromBuffer(first.subarray(5))).toEqual(small);
    expect(() => encode({ id: 1, items: [] })).toThrow();
    expect(encode(small).equals(first)).toBe(true); // a failed encode leaves the encoder usable
  });
});
