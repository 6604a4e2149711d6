// kafkajs' groupMessagesPerPartition as released (2.2.4: copies the partition's array for every
// message) against the patched one (patches/kafkajs@2.2.4.patch), on the sends the pipeline makes:
// one dedupe transaction's state + changes records of ONE partition, and a gateway batch keyed by
// eventId over 6 partitions. `tsx bench/micro/group-messages.ts <released kafkajs dir>` (see USAGE).
// CPU per message and GC time.
import { createRequire } from 'node:module';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { kafkajsTrees } from './kafka-clients/kafkajs-trees.ts';

type Group = (args: {
  topic: string;
  partitionMetadata: { partitionId: number }[];
  messages: { key: string; value: Buffer; partition?: number }[];
  partitioner: (args: { message: { partition?: number; key: string } }) => number;
}) => Record<number, unknown[]>;

const require = createRequire(import.meta.url);
const USAGE = `usage: tsx bench/micro/group-messages.ts <released kafkajs dir> [<patched kafkajs dir>]
A released tree: \`npm pack kafkajs@2.2.4 && tar xzf kafkajs-2.2.4.tgz\` (its package/ directory);
the patched one defaults to the tree this workspace installs.`;
const load = (dir: string): Group => require(path.join(dir, 'src/producer/groupMessagesPerPartition.js'));
// A fresh install holds only the patched tree, so the released one comes from the command line.
const [releasedArg, ...patchedArg] = process.argv.slice(2);
if (releasedArg === undefined) {
  console.error(USAGE);
  process.exit(2);
}
const released = path.resolve(releasedArg);
const [patched] = kafkajsTrees(patchedArg) as [string];

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId }));
const partitioner = ({ message }: { message: { partition?: number; key: string } }) =>
  message.partition ?? message.key.length % 6;
const value = Buffer.alloc(200);
const sends = (n: number, onePartition: boolean) =>
  Array.from({ length: n }, (_, i) => ({ key: `E-${i}`, value, ...(onePartition ? { partition: 3 } : {}) }));

for (const [label, n, one] of [
  ['dedupe tx, 1 partition', 340, true],
  ['dedupe tx, 1 partition', 2800, true],
  ['gateway batch, 6 partitions', 1000, false],
] as const) {
  const messages = sends(n, one);
  for (const [name, dir] of [
    ['released', released],
    ['patched', patched],
    ['released', released],
    ['patched', patched],
  ] as const) {
    const group = load(dir);
    const rounds = Math.max(20, Math.round(2_000_000 / n));
    for (let i = 0; i < 5; i++) group({ topic: 't', partitionMetadata, messages, partitioner });
    gcMs = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < rounds; i++) group({ topic: 't', partitionMetadata, messages, partitioner });
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 10)); // let the gc entries arrive
    const perMessageUs = (cpu.user + cpu.system) / (rounds * n);
    console.log(
      `${label}, ${n} messages, ${name.padEnd(8)}: ${perMessageUs.toFixed(3)} us CPU per message, GC ${((gcMs * 1000) / (rounds * n)).toFixed(3)} us per message`,
    );
  }
}
