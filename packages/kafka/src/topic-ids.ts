import { Socket } from 'node:net';

/**
 * Topic ids (the UUID the broker gives a topic when it is created; a topic deleted and created
 * again, or a broker whose data was wiped, has a new one). kafkajs speaks Metadata only up to v6,
 * and topic ids arrived in v10, so this sends one Metadata v10 request itself over a plain TCP
 * connection (PLAINTEXT listeners, as everything else in this package).
 */
export async function fetchTopicIds(
  brokers: readonly string[],
  topics: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<{ clusterId: string | null; topicIds: Map<string, string> }> {
  let lastError: unknown;
  for (const broker of brokers) {
    try {
      const response = await roundTrip(broker, metadataRequestV10(topics), options.timeoutMs ?? 5_000);
      return parseMetadataResponseV10(response);
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`no broker answered the topic-id request: ${(lastError as Error)?.message}`);
}

const API_METADATA = 3;
const VERSION = 10;
const CORRELATION_ID = 1;

function uvarint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

function compactString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([uvarint(bytes.length + 1), bytes]);
}

export function metadataRequestV10(topics: readonly string[], clientId = 'shopfloor-topic-ids'): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(API_METADATA, 0);
  header.writeInt16BE(VERSION, 2);
  header.writeInt32BE(CORRELATION_ID, 4);
  header.writeInt16BE(Buffer.byteLength(clientId), 8);
  const body = Buffer.concat([
    Buffer.from(clientId, 'utf8'),
    uvarint(0), // header tagged fields
    uvarint(topics.length + 1),
    ...topics.flatMap((t) => [Buffer.alloc(16), compactString(t), uvarint(0)]),
    Buffer.from([0, 0, 0]), // allow auto creation, cluster ops, topic ops: all false
    uvarint(0),
  ]);
  const payload = Buffer.concat([header, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  int8 = () => this.buf.readInt8(this.take(1));
  int16 = () => this.buf.readInt16BE(this.take(2));
  int32 = () => this.buf.readInt32BE(this.take(4));
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf.readUInt8(this.take(1));
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    const start = this.take(n - 1);
    return this.buf.toString('utf8', start, start + n - 1);
  }
  uuid(): string {
    const hex = this.buf.toString('hex', this.take(16), this.at);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  array<T>(item: () => T): T[] {
    const n = this.uvarint();
    return n === 0 ? [] : Array.from({ length: n - 1 }, item);
  }
  skipTaggedFields(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.take(this.uvarint());
    }
  }
  private take(n: number): number {
    const start = this.at;
    this.at += n;
    if (this.at > this.buf.length) throw new Error('truncated Metadata response');
    return start;
  }
}

/** Parses a Metadata v10 response (without its size prefix). */
export function parseMetadataResponseV10(buf: Buffer): {
  clusterId: string | null;
  topicIds: Map<string, string>;
} {
  const r = new Reader(buf);
  if (r.int32() !== CORRELATION_ID) throw new Error('unexpected correlation id');
  r.skipTaggedFields();
  r.int32(); // throttle
  r.array(() => {
    r.int32();
    r.compactNullableString();
    r.int32();
    r.compactNullableString();
    r.skipTaggedFields();
  });
  const clusterId = r.compactNullableString();
  r.int32(); // controller
  const topicIds = new Map<string, string>();
  r.array(() => {
    const error = r.int16();
    const name = r.compactNullableString();
    const id = r.uuid();
    r.int8(); // is internal
    r.array(() => {
      r.int16();
      r.int32();
      r.int32();
      r.int32();
      for (let i = 0; i < 3; i++) r.array(() => r.int32());
      r.skipTaggedFields();
    });
    r.int32(); // topic authorized operations
    r.skipTaggedFields();
    // Error 3 = UNKNOWN_TOPIC_OR_PARTITION: the topic does not exist (left out of the map).
    if (error === 0 && name !== null) topicIds.set(name, id);
  });
  return { clusterId, topicIds };
}

function roundTrip(broker: string, request: Buffer, timeoutMs: number): Promise<Buffer> {
  const [host, port] = [
    broker.slice(0, broker.lastIndexOf(':')),
    Number(broker.slice(broker.lastIndexOf(':') + 1)),
  ];
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`${broker} did not answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        socket.destroy();
        resolve(received.subarray(4, 4 + received.readInt32BE(0)));
      }
    });
    socket.connect(port, host, () => socket.write(request));
  });
}
