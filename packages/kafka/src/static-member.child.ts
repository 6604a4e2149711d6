// A child process for static-membership.integration.test.ts: one consumer of `topic` in `groupId`
// with `groupInstanceId` (or none: "-"), which prints the group generation of every batch it is
// handed as a JSON line and runs until it is killed (or its parent is gone).
// Usage: node --import tsx static-member.child.ts <brokers> <groupId> <topic> <groupInstanceId|-> <sessionTimeoutMs>
import { createKafka } from './client.ts';
import { recordingMember } from './recording-member.ts';

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
await recordingMember(
  kafka,
  topic,
  {
    groupId,
    sessionTimeout: Number(sessionTimeoutMs),
    ...(instanceId === '-' ? {} : { groupInstanceId: instanceId }),
  },
  (batch) =>
    console.log(
      JSON.stringify({ partition: batch.partition, generationId: batch.groupMetadata.generationId }),
    ),
);
