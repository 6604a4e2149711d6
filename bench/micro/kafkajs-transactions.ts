// What a consume-transform-produce transaction costs a kafkajs client, request by request: one
// transactional producer against a local broker, sequential transactions of the dedupe's shape
// (produce one batch, TxnOffsetCommit for a consumer group, EndTxn), counting the requests it sends
// (kafkajs' REQUEST instrumentation), its wall time and this process's CPU per transaction. Written
// for the coordinator lookups that kafkajs 2.2.4 made before each of a transaction's requests
// (patches/kafkajs@2.2.4.patch keeps them); one or more kafkajs trees side by side, interleaved.
//
// tsx bench/micro/kafkajs-transactions.ts [kafkajs dir...]   (default: the kafkajs this workspace installs)
// TXN_COUNT transactions per round (default 500), TXN_ROUNDS (default 3), TXN_RECORDS per send (default 100).
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { mean, percentile } from '../src/stats.ts';
import { kafkajsTrees } from './kafka-clients/kafkajs-trees.ts';

type Transaction = {
  send(args: Record<string, unknown>): Promise<unknown>;
  sendOffsets(args: Record<string, unknown>): Promise<void>;
  commit(): Promise<void>;
};
type Producer = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  transaction(): Promise<Transaction>;
  on(event: string, listener: (e: { payload: { apiName: string } }) => void): unknown;
  events: { REQUEST: string };
};
type KafkaJs = {
  Kafka: new (
    config: Record<string, unknown>,
  ) => {
    producer(config: Record<string, unknown>): Producer;
    admin(): {
      connect(): Promise<void>;
      disconnect(): Promise<void>;
      createTopics(args: Record<string, unknown>): Promise<boolean>;
    };
  };
  logLevel: { NOTHING: number };
};

const require = createRequire(import.meta.url);
const dirs = kafkajsTrees(process.argv.slice(2));
const COUNT = Number(process.env.TXN_COUNT ?? 500);
const ROUNDS = Number(process.env.TXN_ROUNDS ?? 3);
const RECORDS = Number(process.env.TXN_RECORDS ?? 100);

const broker = await startLocalKafka({ dataDir: await mkdtemp(path.join(tmpdir(), 'kafkajs-txn-')) });
const topic = 'txn-topic';
const value = Buffer.alloc(300, 'x');
try {
  const first = require(path.resolve(dirs[0] as string)) as KafkaJs;
  const admin = new first.Kafka({ brokers: broker.brokers, logLevel: first.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  type Round = { msP50: number; msMean: number; cpuUs: number; requests: Record<string, number> };
  const results = dirs.map(() => [] as Round[]);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, dir] of dirs.entries()) {
      const kafkajs = require(path.resolve(dir)) as KafkaJs;
      const kafka = new kafkajs.Kafka({
        brokers: broker.brokers,
        clientId: `txn-${i}`,
        logLevel: kafkajs.logLevel.NOTHING,
      });
      const producer = kafka.producer({
        transactionalId: `txn-${i}-${round}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      const requests: Record<string, number> = {};
      producer.on(producer.events.REQUEST, ({ payload }) => {
        requests[payload.apiName] = (requests[payload.apiName] ?? 0) + 1;
      });
      const run = async (n: number, times?: number[]) => {
        for (let t = 0; t < n; t++) {
          const begin = performance.now();
          const txn = await producer.transaction();
          await txn.send({
            topic,
            messages: Array.from({ length: RECORDS }, (_, k) => ({ key: `k${k}`, value })),
          });
          await txn.sendOffsets({
            consumerGroupId: `txn-group-${i}-${round}`,
            topics: [{ topic, partitions: [{ partition: 0, offset: String(t + 1) }] }],
          });
          await txn.commit();
          times?.push(performance.now() - begin);
        }
      };
      await run(20); // connections open, JIT warm
      for (const k of Object.keys(requests)) delete requests[k];
      const times: number[] = [];
      const cpu = process.cpuUsage();
      await run(COUNT, times);
      const used = process.cpuUsage(cpu);
      results[i]?.push({
        msP50: percentile(times, 0.5),
        msMean: mean(times),
        cpuUs: (used.user + used.system) / COUNT,
        requests: Object.fromEntries(Object.entries(requests).map(([k, v]) => [k, v / COUNT])),
      });
      await producer.disconnect();
    }
  console.log(
    `${COUNT} sequential transactions a round (${RECORDS} records of 300 bytes, TxnOffsetCommit, EndTxn), ${ROUNDS} rounds`,
  );
  for (const [i, dir] of dirs.entries()) {
    console.log(path.resolve(dir));
    for (const r of results[i] ?? []) {
      const perTxn = Object.entries(r.requests)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ');
      console.log(
        `  wall p50 ${r.msP50.toFixed(2)} ms, mean ${r.msMean.toFixed(2)} ms; CPU ${r.cpuUs.toFixed(0)} us; requests per transaction: ${perTxn}`,
      );
    }
  }
} finally {
  await broker.stop();
}
