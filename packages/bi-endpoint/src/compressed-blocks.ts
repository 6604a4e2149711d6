import { cityHash128 } from './cityhash128.ts';

/** ClickHouse's compression method byte for LZ4. */
const LZ4_METHOD = 0x82;
const HEADER = 9; // method (1) + compressed size with header (4) + uncompressed size (4)
const BLOCK_BYTES = 1 << 20;

/**
 * The framing ClickHouse answers `compress=1` with: blocks of `checksum (16) | method (1) |
 * size with header (4) | uncompressed size (4) | data`, the checksum being CityHash128 of the rest.
 * The data is a valid LZ4 block made of one literal run: drivers decompress it as any LZ4 block,
 * and the endpoint spends no CPU on compression (its results are small and sent over loopback).
 */
export function toCompressedBlocks(body: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += BLOCK_BYTES) {
    blocks.push(compressedBlock(body.subarray(offset, offset + BLOCK_BYTES)));
  }
  return Buffer.concat(blocks);
}

function compressedBlock(data: Buffer): Buffer {
  const lz4 = lz4LiteralBlock(data);
  const block = Buffer.alloc(16 + HEADER + lz4.length);
  block[16] = LZ4_METHOD;
  block.writeUInt32LE(HEADER + lz4.length, 17);
  block.writeUInt32LE(data.length, 21);
  lz4.copy(block, 16 + HEADER);
  const [low, high] = cityHash128(block.subarray(16));
  block.writeBigUInt64LE(low, 0);
  block.writeBigUInt64LE(high, 8);
  return block;
}

/** An LZ4 block holding `data` as a single literal run (token, length bytes, literals). */
export function lz4LiteralBlock(data: Buffer): Buffer {
  const length = data.length;
  const extra: number[] = [];
  if (length >= 15) {
    let rest = length - 15;
    while (rest >= 255) {
      extra.push(255);
      rest -= 255;
    }
    extra.push(rest);
  }
  return Buffer.concat([Buffer.from([Math.min(length, 15) << 4, ...extra]), data]);
}
