import { describe, expect, test } from 'vitest';
import { frame, readHeader } from './wire-format.ts';

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
});
