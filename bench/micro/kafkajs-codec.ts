// kafkajs' record codec alone, no broker: CPU per record of encoding a produce request (1000 keyed
// 300-byte records in one partition's batch, as the gateway and the dedupe member send them) and of
// decoding a fetched batch of 1000 records into the consumer's Batch. One or more kafkajs source
// trees side by side, interleaved round by round, ratios against the first: an A/B of two versions
// of patches/kafkajs@2.2.4.patch (install the older one in a worktree of an older commit).
//
// tsx bench/micro/kafkajs-codec.ts [kafkajs dir...]   (default: the kafkajs this workspace installs)
// e.g. tsx bench/micro/kafkajs-codec.ts /work/wt/a/node_modules/kafkajs node_modules/kafkajs
import { createRequire } from 'node:module';
import path from 'node:path';
import { kafkajsTrees } from './kafka-clients/kafkajs-trees.ts';

type Encoder = { buffer: Buffer };
type Codec = {
  label: string;
  produce: (args: Record<string, unknown>) => unknown;
  request: (args: Record<string, unknown>) => Promise<Encoder>;
  RecordBatch: (args: Record<string, unknown>) => Promise<Encoder>;
  Record: (args: Record<string, unknown>) => Encoder;
  decodeBatch: (decoder: unknown) => Promise<{ records: { offset: string }[] }>;
  Decoder: new (buffer: Buffer) => unknown;
  Batch: new (topic: string, fetched: string, data: Record<string, unknown>) => { messages: unknown[] };
};

const require = createRequire(import.meta.url);
const dirs = kafkajsTrees(process.argv.slice(2));

function load(dir: string): Codec {
  const src = (file: string) => require(path.resolve(dir, 'src', file));
  return {
    label: path.resolve(dir),
    produce: src('protocol/requests/produce/v3/request'),
    request: src('protocol/request'),
    RecordBatch: src('protocol/recordBatch/v0').RecordBatch,
    Record: src('protocol/recordBatch/record/v0'),
    decodeBatch: src('protocol/recordBatch/v0/decoder'),
    Decoder: src('protocol/decoder'),
    Batch: src('consumer/batch'),
  };
}

const RECORDS = 1000;
const ROUNDS = 200; // produce requests (and fetched batches) per measurement
const messages = Array.from({ length: RECORDS }, (_, i) => ({
  key: Buffer.from(`event-${String(i).padStart(8, '0')}-machine-07`),
  value: Buffer.alloc(300, i),
}));
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function produceRequests(codec: Codec, rounds: number) {
  for (let r = 0; r < rounds; r++) {
    const request = codec.produce({
      acks: -1,
      timeout: 30_000,
      transactionalId: 'bench-txn',
      producerId: 5,
      producerEpoch: 1,
      topicData: [
        { topic: 'events.raw', partitions: [{ partition: 0, firstSequence: r * RECORDS, messages }] },
      ],
    });
    await codec.request({ correlationId: r, clientId: 'bench', request });
  }
}

async function fetchDecodes(codec: Codec, batch: Buffer, rounds: number) {
  for (let r = 0; r < rounds; r++) {
    const decoded = await codec.decodeBatch(new codec.Decoder(batch));
    const fetched = new codec.Batch('events.raw', '1234000', {
      partition: 0,
      highWatermark: '2000000',
      messages: decoded.records,
    });
    if (fetched.messages.length !== RECORDS)
      throw new Error(`${codec.label}: decoded ${fetched.messages.length}`);
  }
}

const codecs = dirs.map(load);
// One batch, encoded by the first tree, decoded by each (the bytes are the protocol's either way).
const first = codecs[0] as Codec;
const batch = (
  await first.RecordBatch({
    records: messages.map((m, i) => first.Record({ ...m, offsetDelta: i, timestampDelta: 0 })),
    firstOffset: '1234567',
    firstTimestamp: Date.now(),
    maxTimestamp: Date.now(),
    transactional: true,
    lastOffsetDelta: RECORDS - 1,
  })
).buffer;

for (const codec of codecs) {
  await produceRequests(codec, 50); // warm-up: the JIT
  await fetchDecodes(codec, batch, 50);
}
const figures = codecs.map(() => ({ produce: [] as number[], fetch: [] as number[] }));
for (let round = 0; round < 7; round++)
  for (const [i, codec] of codecs.entries()) {
    const f = figures[i] as { produce: number[]; fetch: number[] };
    let start = cpuUs();
    await produceRequests(codec, ROUNDS);
    f.produce.push((cpuUs() - start) / (ROUNDS * RECORDS));
    start = cpuUs();
    await fetchDecodes(codec, batch, ROUNDS);
    f.fetch.push((cpuUs() - start) / (ROUNDS * RECORDS));
  }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const base = figures[0] as { produce: number[]; fetch: number[] };
console.log(
  `CPU us per record, median of 7 rounds of ${ROUNDS} x ${RECORDS} records (node ${process.version})`,
);
for (const [i, codec] of codecs.entries()) {
  const f = figures[i] as { produce: number[]; fetch: number[] };
  const ratio = (a: number[], b: number[]) => (i === 0 ? '' : ` (${(median(a) / median(b)).toFixed(2)}x)`);
  console.log(
    `${codec.label}\n  produce request encode ${median(f.produce).toFixed(2)}${ratio(f.produce, base.produce)}` +
      `  [${f.produce.map((x) => x.toFixed(2)).join(' ')}]` +
      `\n  fetched batch decode   ${median(f.fetch).toFixed(2)}${ratio(f.fetch, base.fetch)}` +
      `  [${f.fetch.map((x) => x.toFixed(2)).join(' ')}]`,
  );
}
