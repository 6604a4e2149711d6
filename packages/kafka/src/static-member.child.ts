// A child process for static-membership.integration.test.ts: one consumer of `topic` in `groupId`
// with `groupInstanceId` (or none: "-"), which prints the group generation of every batch it is
// handed as a JSON line and runs until it is killed (or its parent is gone).
// Usage: node --import tsx static-member.child.ts <brokers> <groupId> <topic> <groupInstanceId|-> <sessionTimeoutMs>
import { createKafka } from './client.ts';

const [brokers, groupId, topic, instanceId, sessionTimeoutMs] = process.argv.slice(2);
if (!brokers || !groupId || !topic || !instanceId || !sessionTimeoutMs) {
  console.error(
    'usage: static-member.child.ts <brokers> <groupId> <topic> <groupInstanceId|-> <sessionTimeoutMs>',
  );
  process.exit(2);
}
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(3); // the test runner is gone
}, 1_000);

const kafka = createKafka({ brokers: brokers.split(','), clientId: `static-member-child-${process.pid}` });
const consumer = kafka.consumer({
  groupId,
  sessionTimeout: Number(sessionTimeoutMs),
  heartbeatInterval: 500,
  maxWaitTimeInMs: 50,
  ...(instanceId === '-' ? {} : { groupInstanceId: instanceId }),
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, groupMetadata, heartbeat }) => {
    if (batch.isEmpty()) return;
    console.log(JSON.stringify({ partition: batch.partition, generationId: groupMetadata.generationId }));
    await heartbeat();
  },
});
