// The record batch codec and the key hash of our patched kafkajs (patches/kafkajs@2.2.4.patch:
// records written in place, slicing-by-8 CRC32-C, offsets and timestamps as numbers below 2^53,
// murmur2 in 32-bit arithmetic) against references written here from the Kafka protocol's
// RecordBatch v2 format and the Java client's murmur2, with BigInt arithmetic and a bitwise CRC.
// Every byte a producer sends, every partition a key goes to and every field a consumer reads must
// be what they were.
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
type Encoder = { buffer: Buffer };
type KafkaRecord = { key: Buffer | string | null; value: Buffer | string | null; headers?: Headers };
type Headers = Record<string, string | Buffer | (string | Buffer)[]>;
type DecodedRecord = {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
};
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: Record<string, unknown>) => Promise<Encoder>;
};
const RecordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0') as (
  args: KafkaRecord & { offsetDelta: number; timestampDelta: number | bigint },
) => Encoder;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{ firstOffset: string; firstTimestamp: string; records: DecodedRecord[] }>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
type ProduceRequest = {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<Encoder>;
  encodeAfter?: ((headerSize: number) => (Encoder & { buf: Buffer; offset: number }) | null) | undefined;
};
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request') as (
  args: Record<string, unknown>,
) => ProduceRequest;
const createRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string | null;
  request: ProduceRequest;
}) => Promise<Encoder>;
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;
const Batch = require('kafkajs/src/consumer/batch') as new (
  topic: string,
  fetchedOffset: string,
  partitionData: { partition: number; highWatermark: string; messages: DecodedRecord[] },
) => { messages: DecodedRecord[] };

// ---- the reference: Kafka's RecordBatch v2 (magic 2), written from the protocol description ----

function referenceCrc32C(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Unsigned LEB128 of the zigzag form of a signed 64-bit value. */
function varlong(value: bigint): number[] {
  let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const out: number[] = [];
  while (zigzag >= 0x80n) {
    out.push(Number(zigzag & 0x7fn) | 0x80);
    zigzag >>= 7n;
  }
  out.push(Number(zigzag));
  return out;
}

const bytesOf = (value: Buffer | string) => (typeof value === 'string' ? Buffer.from(value) : value);
const sized = (value: Buffer | string | null): number[] =>
  value === null ? varlong(-1n) : [...varlong(BigInt(bytesOf(value).length)), ...bytesOf(value)];

function referenceRecord(record: KafkaRecord, offsetDelta: number, timestampDelta: bigint): number[] {
  const headers = Object.entries(record.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => [...sized(key), ...sized(v)]),
  );
  const body = [
    0, // attributes
    ...varlong(timestampDelta),
    ...varlong(BigInt(offsetDelta)),
    ...sized(record.key),
    ...sized(record.value),
    ...varlong(BigInt(headers.length)),
    ...headers.flat(),
  ];
  return [...varlong(BigInt(body.length)), ...body];
}

type BatchHeader = {
  firstOffset: bigint;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  firstSequence: number;
  transactional: boolean;
};

function referenceBatch(header: BatchHeader, records: number[][]): Buffer {
  const head = Buffer.alloc(2 + 4 + 8 + 8 + 8 + 2 + 4 + 4);
  let at = head.writeInt16BE(header.transactional ? 0x10 : 0, 0);
  at = head.writeInt32BE(records.length - 1, at);
  at = head.writeBigInt64BE(header.firstTimestamp, at);
  at = head.writeBigInt64BE(header.maxTimestamp, at);
  at = head.writeBigInt64BE(header.producerId, at);
  at = head.writeInt16BE(header.producerEpoch, at);
  at = head.writeInt32BE(header.firstSequence, at);
  head.writeInt32BE(records.length, at);
  const body = Buffer.concat([head, Buffer.from(records.flat())]);
  const prefix = Buffer.alloc(8 + 4 + 4 + 1 + 4);
  prefix.writeBigInt64BE(header.firstOffset, 0);
  prefix.writeInt32BE(4 + 1 + 4 + body.length, 8); // batch length: epoch, magic, crc, body
  prefix.writeInt32BE(0, 12); // partition leader epoch
  prefix.writeInt8(2, 16); // magic
  prefix.writeUInt32BE(referenceCrc32C(body), 17);
  return Buffer.concat([prefix, body]);
}

// ---- generated cases (a fixed-seed PRNG: every run checks the same records) ----

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function generatedRecords(random: () => number, count: number): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const k = random();
    const v = random();
    const h = random();
    return {
      key: k < 0.1 ? null : k < 0.3 ? `key-${i}-ü` : Buffer.from(`event-${Math.floor(random() * 1e9)}`),
      value:
        v < 0.05
          ? null
          : v < 0.2
            ? 'é'.repeat(Math.floor(random() * 200))
            : Buffer.alloc(Math.floor(random() * 5000), i),
      ...(h < 0.2
        ? { headers: { source: 'gateway', raw: Buffer.from([0, 1, 255]), multi: ['a', Buffer.from('b')] } }
        : {}),
    };
  });
}

const DELTAS = [
  0n,
  1n,
  -1n,
  63n,
  64n,
  -65n,
  2n ** 31n,
  -(2n ** 31n),
  2n ** 51n,
  -(2n ** 52n) + 1n,
  2n ** 52n,
  -(2n ** 60n),
];

describe('patched kafkajs record batches against the protocol reference', () => {
  it('CRC32-C: the standard check value, and the bitwise reference for every length up to 1 KiB', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    const random = prng(7);
    for (let length = 0; length <= 1024; length++) {
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      expect(crc32C(bytes), `length ${length}`).toBe(referenceCrc32C(bytes));
    }
  });

  it('encodes a record byte for byte, for every timestamp delta size and sign', () => {
    const random = prng(11);
    const records = generatedRecords(random, 60);
    records.forEach((record, i) => {
      for (const delta of DELTAS) {
        // kafkajs takes the delta as a number when it is one (the producer's case) or as a BigInt
        const asGiven = delta >= -(2n ** 52n) && delta <= 2n ** 52n ? Number(delta) : delta;
        const encoded = RecordEncoder({ ...record, offsetDelta: i * 997, timestampDelta: asGiven }).buffer;
        expect(
          encoded.equals(Buffer.from(referenceRecord(record, i * 997, delta))),
          `record ${i}, delta ${delta}`,
        ).toBe(true);
      }
    });
  });

  it('encodes whole batches byte for byte, CRC included', async () => {
    const random = prng(23);
    for (let round = 0; round < 40; round++) {
      const records = generatedRecords(random, 1 + Math.floor(random() * 80));
      const header: BatchHeader = {
        firstOffset: round % 2 ? 0n : 2n ** 60n + BigInt(round),
        firstTimestamp: 1_733_000_000_000n + BigInt(round),
        maxTimestamp: 1_733_000_000_500n,
        producerId: round % 3 ? -1n : 4_000_000_000n,
        producerEpoch: round % 5,
        firstSequence: round * 1000,
        transactional: round % 2 === 0,
      };
      const batch = await RecordBatch({
        firstOffset: header.firstOffset.toString(),
        firstTimestamp: Number(header.firstTimestamp),
        maxTimestamp: Number(header.maxTimestamp),
        producerId: header.producerId.toString(),
        producerEpoch: header.producerEpoch,
        firstSequence: header.firstSequence,
        transactional: header.transactional,
        lastOffsetDelta: records.length - 1,
        records: records.map((record, i) =>
          RecordEncoder({ ...record, offsetDelta: i, timestampDelta: i * 3 }),
        ),
      });
      const expected = referenceBatch(
        header,
        records.map((record, i) => referenceRecord(record, i, BigInt(i * 3))),
      );
      expect(batch.buffer.equals(expected), `round ${round}`).toBe(true);
    }
  });

  it('a produce request carries the reference batch for the messages it was given', async () => {
    const random = prng(31);
    const messages = generatedRecords(random, 50).map((m, i) => ({
      ...m,
      timestamp: 1_733_000_000_000 + i * 7,
    }));
    const request = await produceRequest({
      acks: -1,
      timeout: 30_000,
      transactionalId: 'txn-1',
      producerId: 42,
      producerEpoch: 3,
      topicData: [{ topic: 'events.raw', partitions: [{ partition: 0, firstSequence: 17, messages }] }],
    }).encode();
    const expected = referenceBatch(
      {
        firstOffset: 0n,
        firstTimestamp: 1_733_000_000_000n,
        maxTimestamp: 1_733_000_000_343n,
        producerId: 42n,
        producerEpoch: 3,
        firstSequence: 17,
        transactional: true,
      },
      messages.map((m, i) => referenceRecord(m, i, BigInt(i * 7))),
    );
    // The partition's batch is the request's last field, after its int32 size.
    const bytes = request.buffer;
    expect(bytes.readInt32BE(bytes.length - expected.length - 4)).toBe(expected.length);
    expect(bytes.subarray(bytes.length - expected.length).equals(expected)).toBe(true);
  });

  it('a produce request written in place, framed in place, is the request encoded and framed by copies', async () => {
    // The patch's encodeAfter writes the whole request into one buffer of its final size (no record,
    // batch, partition or topic buffers, no framing copies); the bytes must be those of the path it
    // replaces (kept for compressed requests), which the tests above hold to the reference.
    const random = prng(59);
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_733_000_000_999);
    try {
      for (let round = 0; round < 24; round++) {
        const messages = (count: number) =>
          generatedRecords(random, count).map((m, i) => ({
            ...m,
            // Timestamps given, absent (the request's Date.now) or as strings, as callers pass them.
            timestamp:
              round % 3 === 0
                ? undefined
                : round % 3 === 1
                  ? 1_733_000_000_000 + ((i * 7) % 13)
                  : `${1_733_000_000_000 + i}`,
          }));
        const request = produceRequest({
          acks: round % 2 ? -1 : 1,
          timeout: 30_000,
          transactionalId: round % 4 < 2 ? null : `txn-${round}-é`,
          producerId: round % 5 ? 42 : '4000000000',
          producerEpoch: round % 7,
          topicData: [
            {
              topic: 'events.raw',
              partitions: [
                {
                  partition: 0,
                  firstSequence: round * 10,
                  messages: messages(1 + Math.floor(random() * 300)),
                },
                { partition: 3, firstSequence: 0, messages: messages(1) },
              ],
            },
            {
              topic: 'events.state-ü',
              partitions: [{ partition: 1, firstSequence: 7, messages: messages(40) }],
            },
          ],
        });
        const clientId = round % 2 ? 'shopfloor-gateway' : 'ß-client';
        const copied = await createRequest({
          correlationId: round,
          clientId,
          request: { ...request, encodeAfter: undefined },
        });
        const inPlace = (await createRequest({ correlationId: round, clientId, request })) as Encoder & {
          buf: Buffer;
        };
        expect(inPlace.buffer.equals(copied.buffer), `round ${round}`).toBe(true);
        // Sized exactly: the buffer never grew, so its ArrayBuffer is the request and nothing more.
        expect(inPlace.buf.length, `round ${round}`).toBe(copied.buffer.length);
        expect(inPlace.buf.buffer.byteLength, `round ${round}`).toBe(copied.buffer.length);
      }
    } finally {
      now.mockRestore();
    }
  });

  it('a compressed produce request keeps the encode by copies', () => {
    const request = produceRequest({
      acks: -1,
      timeout: 30_000,
      compression: 1,
      topicData: [
        {
          topic: 't',
          partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: 'k', value: 'v' }] }],
        },
      ],
    });
    expect(request.encodeAfter?.(20)).toBeNull();
  });

  it('decodes offsets and timestamps as the BigInt arithmetic gives them, beyond 2^53 too', async () => {
    const random = prng(43);
    const firstOffsets = [0n, 12_345n, 2n ** 53n - 5n, 2n ** 62n];
    const firstTimestamps = [0n, 1_733_000_000_000n, 2n ** 53n - 3n, -1n];
    for (const firstOffset of firstOffsets)
      for (const firstTimestamp of firstTimestamps) {
        const records = generatedRecords(random, 30);
        const deltas = records.map((_, i) => DELTAS[i % DELTAS.length] as bigint);
        const offsetDeltas = records.map((_, i) => i * 70_001);
        const batch = referenceBatch(
          {
            firstOffset,
            firstTimestamp,
            maxTimestamp: firstTimestamp,
            producerId: 9n,
            producerEpoch: 0,
            firstSequence: 0,
            transactional: true,
          },
          records.map((record, i) => referenceRecord(record, offsetDeltas[i] as number, deltas[i] as bigint)),
        );
        const decoded = await decodeRecordBatch(new Decoder(batch));
        expect(decoded.firstOffset).toBe(firstOffset.toString());
        expect(decoded.records).toHaveLength(records.length);
        decoded.records.forEach((got, i) => {
          const sent = records[i] as KafkaRecord;
          const where = `offset ${firstOffset}, timestamp ${firstTimestamp}, record ${i}`;
          expect(got.offset, where).toBe((firstOffset + BigInt(offsetDeltas[i] as number)).toString());
          expect(got.timestamp, where).toBe((firstTimestamp + (deltas[i] as bigint)).toString());
          expect(got.key, where).toEqual(sent.key === null ? null : bytesOf(sent.key));
          expect(got.value, where).toEqual(sent.value === null ? null : bytesOf(sent.value));
          const headers = Object.fromEntries(
            Object.entries(sent.headers ?? {}).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.map(bytesOf) : bytesOf(v),
            ]),
          );
          expect(got.headers, where).toEqual(headers);
        });
      }
  });

  it('a fetched batch keeps the messages at or after the fetched offset, as BigInts compare them', async () => {
    for (const firstOffset of [100n, 2n ** 53n - 2n, 2n ** 63n - 10n]) {
      const records = Array.from({ length: 8 }, (_, i) =>
        referenceRecord({ key: `k${i}`, value: 'v' }, i, 0n),
      );
      const decoded = await decodeRecordBatch(
        new Decoder(
          referenceBatch(
            {
              firstOffset,
              firstTimestamp: 0n,
              maxTimestamp: 0n,
              producerId: -1n,
              producerEpoch: 0,
              firstSequence: 0,
              transactional: false,
            },
            records,
          ),
        ),
      );
      for (const skip of [0n, 3n, 8n]) {
        const fetched = (firstOffset + skip).toString();
        const batch = new Batch('t', fetched, {
          partition: 0,
          highWatermark: '0',
          messages: decoded.records,
        });
        expect(batch.messages.map((m) => m.offset)).toEqual(
          Array.from({ length: 8 - Number(skip) }, (_, i) => (firstOffset + skip + BigInt(i)).toString()),
        );
      }
    }
  });

  it("murmur2: the Java client's own test vectors, and a BigInt port of it for keys of every length", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) {
      expect(murmur2(key), key).toBe(hash);
      expect(murmur2(Buffer.from(key)), key).toBe(hash);
    }
    const random = prng(59);
    for (let length = 0; length <= 300; length++)
      for (let round = 0; round < 5; round++) {
        const key = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
        expect(murmur2(key), `length ${length}`).toBe(referenceMurmur2(key));
      }
  });
});

/** Utils.murmur2 of the Java client, with ints as BigInts wrapped to 32 bits after every step. */
function referenceMurmur2(data: Buffer): number {
  const int = (x: bigint) => BigInt.asIntN(32, x);
  const ushr = (x: bigint, n: bigint) => BigInt.asUintN(32, x) >> n;
  const m = 0x5bd1e995n;
  const length = data.length;
  let h = int(0x9747b28cn ^ BigInt(length));
  const byte = (i: number) => BigInt(data[i] as number);
  for (let i = 0; i + 4 <= length; i += 4) {
    let k = int(byte(i) + (byte(i + 1) << 8n) + (byte(i + 2) << 16n) + (byte(i + 3) << 24n));
    k = int(k * m);
    k = int(k ^ ushr(k, 24n));
    k = int(k * m);
    h = int(h * m);
    h = int(h ^ k);
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h = int(h ^ (byte(tail + 2) << 16n));
  if (rest >= 2) h = int(h ^ (byte(tail + 1) << 8n));
  if (rest >= 1) {
    h = int(h ^ byte(tail));
    h = int(h * m);
  }
  h = int(h ^ ushr(h, 13n));
  h = int(h * m);
  h = int(h ^ ushr(h, 15n));
  return Number(h);
}
