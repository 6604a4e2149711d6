// What an idle kafkajs client costs: a connected idempotent producer and a consumer group member
// on an empty topic, doing nothing, CPU of this process over a window. kafkajs 2.2.4 re-checks its
// request queue about every millisecond per connection even with nothing pending
// (tulios/kafkajs#1556); patches/kafkajs@2.2.4.patch stops that. One or more kafkajs trees side by
// side, interleaved, against the same local broker.
//
// tsx bench/micro/kafkajs-idle.ts [kafkajs dir...]   (default: the kafkajs this workspace installs)
// IDLE_SECONDS per window (default 10), IDLE_ROUNDS (default 3).
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { kafkajsTrees } from './kafka-clients/kafkajs-trees.ts';

type Closable = { connect(): Promise<void>; disconnect(): Promise<void> };
type KafkaJs = {
  Kafka: new (
    config: Record<string, unknown>,
  ) => {
    producer(config: Record<string, unknown>): Closable;
    consumer(config: Record<string, unknown>): Closable & {
      subscribe(args: Record<string, unknown>): Promise<void>;
      run(args: Record<string, unknown>): Promise<void>;
    };
    admin(): Closable & { createTopics(args: Record<string, unknown>): Promise<boolean> };
  };
  Partitioners: { DefaultPartitioner: unknown };
  logLevel: { NOTHING: number };
};

const require = createRequire(import.meta.url);
const dirs = kafkajsTrees(process.argv.slice(2));
const SECONDS = Number(process.env.IDLE_SECONDS ?? 10);
const ROUNDS = Number(process.env.IDLE_ROUNDS ?? 3);

const broker = await startLocalKafka({ dataDir: await mkdtemp(path.join(tmpdir(), 'kafkajs-idle-')) });
const topic = 'idle-topic';
try {
  const first = require(path.resolve(dirs[0] as string)) as KafkaJs;
  const admin = new first.Kafka({ brokers: broker.brokers, logLevel: first.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const results = dirs.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, dir] of dirs.entries()) {
      const kafkajs = require(path.resolve(dir)) as KafkaJs;
      const kafka = new kafkajs.Kafka({
        brokers: broker.brokers,
        clientId: `idle-${i}`,
        logLevel: kafkajs.logLevel.NOTHING,
      });
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
      });
      const consumer = kafka.consumer({ groupId: `idle-${i}-${round}` });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachBatch: async () => {} });
      await new Promise((r) => setTimeout(r, 3000)); // joined and fetching
      const start = process.cpuUsage();
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const used = process.cpuUsage(start);
      results[i]?.push((used.user + used.system) / 1e4 / SECONDS); // % of a core
      await consumer.disconnect();
      await producer.disconnect();
    }
  console.log(`CPU of this process, % of one core, idle producer + consumer member, ${SECONDS} s windows`);
  for (const [i, dir] of dirs.entries())
    console.log(`${path.resolve(dir)}\n  ${(results[i] ?? []).map((x) => x.toFixed(2)).join('  ')}`);
} finally {
  await broker.stop();
}
