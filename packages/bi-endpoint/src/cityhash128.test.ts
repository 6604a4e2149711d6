import { describe, expect, test } from 'vitest';
import { cityHash128 } from './cityhash128.ts';
import { lz4LiteralBlock, toCompressedBlocks } from './compressed-blocks.ts';

// Known answers of ClickHouse's CityHash128 (v1.0.2), as computed by the JDBC driver's own
// implementation (com.clickhouse.data.ClickHouseCityHash, clickhouse-data 0.10.0) for bytes
// (i * 31 + 7) mod 256: every branch of the algorithm (empty, < 8, < 16, < 128, >= 128 with a tail).
const KNOWN: [number, string, string][] = [
  [0, '3df09dfc64c09a2b', '3cb540c392e51e29'],
  [7, 'd7ba2459ab7c2913', '53dd430b513ca460'],
  [15, 'd956065c63d9ab15', '9623caadd0037b73'],
  [100, '49c189a397bdadee', '0e8155bdfd58d3d3'],
  [200, '67b5c9a4f885f24b', 'b4a0f54a58082487'],
  [1000, '597ff4957972ad7e', '7f39a4abd7c010e1'],
];
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255));

describe('cityHash128', () => {
  test.each(KNOWN)('%i bytes', (n, low, high) => {
    const [l, h] = cityHash128(bytes(n));
    expect([l.toString(16).padStart(16, '0'), h.toString(16).padStart(16, '0')]).toEqual([low, high]);
  });
});

describe('compressed blocks (compress=1)', () => {
  test('an LZ4 literal run: token, length bytes past 15, then the bytes', () => {
    expect([...lz4LiteralBlock(Buffer.from('abc'))]).toEqual([0x30, 97, 98, 99]);
    const long = lz4LiteralBlock(Buffer.alloc(15 + 255 + 3, 1));
    expect([...long.subarray(0, 3)]).toEqual([0xf0, 255, 3]);
    expect(long.length).toBe(3 + 273);
  });

  test('each block carries the checksum of its header and data, the LZ4 method and both sizes', () => {
    const body = Buffer.from('hello, BI tools\n'.repeat(100));
    const framed = toCompressedBlocks(body);
    const rest = framed.subarray(16);
    const [low, high] = cityHash128(rest);
    expect(framed.readBigUInt64LE(0)).toBe(low);
    expect(framed.readBigUInt64LE(8)).toBe(high);
    expect(rest[0]).toBe(0x82);
    expect(rest.readUInt32LE(1)).toBe(rest.length);
    expect(rest.readUInt32LE(5)).toBe(body.length);
    expect(rest.subarray(9).subarray(-body.length)).toEqual(body);
  });

  test('large bodies are cut into 1 MiB blocks; an empty body is no block at all', () => {
    const framed = toCompressedBlocks(Buffer.alloc(1024 * 1024 + 10, 7));
    const first = framed.readUInt32LE(17);
    expect(framed.readUInt32LE(21)).toBe(1024 * 1024);
    expect(framed.readUInt32LE(16 + first + 21)).toBe(10);
    expect(toCompressedBlocks(Buffer.alloc(0)).length).toBe(0);
  });
});
