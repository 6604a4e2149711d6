import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { consumerStopped, DuplicateMemberError } from './consumer-stopped.ts';
import { createIdempotentProducer } from './producers.ts';
import { recordingMember, testKafka, tsxChild, uniqueName, waitUntil } from './testing.ts';
import { ensureTopics } from './topics.ts';

// Static membership (KIP-345) through the patched kafkajs (patches/kafkajs@2.2.4.patch): a member
// restarted after a crash (SIGKILL, no LeaveGroup) takes its place back at once, without waiting out
// the dead member's session and without a rebalance; two live members with one instance id: the
// older one is fenced and its consumer stops for good.

const kafka = testKafka();
const SESSION_TIMEOUT_MS = 10_000;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function seededTopic(): Promise<string> {
  const topic = uniqueName('static-member');
  await ensureTopics(kafka, [{ topic, partitions: 2 }]);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 })),
  });
  await producer.disconnect();
  return topic;
}

type Batch = { partition: number; generationId: number; at: number };

/** A member in a process of its own, so that it can die as a crash does (SIGKILL, no LeaveGroup). */
function memberProcess(groupId: string, topic: string, instanceId: string | undefined) {
  const batches: Batch[] = [];
  const child = tsxChild(
    'packages/kafka/src/static-member.child.ts',
    [inject('kafkaBrokers').join(','), groupId, topic, instanceId ?? '-', String(SESSION_TIMEOUT_MS)],
    (line) => {
      if (line.startsWith('{')) batches.push({ ...(JSON.parse(line) as Omit<Batch, 'at'>), at: Date.now() });
    },
  );
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  return { child, batches };
}

/** A member in this process: every batch it is handed, with the group generation it came in. */
async function member(groupId: string, topic: string, instanceId: string | undefined) {
  const { consumer, batches } = await recordingMember(kafka, topic, {
    groupId,
    sessionTimeout: SESSION_TIMEOUT_MS,
    ...(instanceId ? { groupInstanceId: instanceId } : {}),
  });
  cleanups.push(() => consumer.disconnect());
  // Before any crash: a fencing needs a second member to join.
  const stopped = consumerStopped(consumer);
  return { batches, stopped };
}

/** Kills a member process that holds both partitions, then starts its successor; what the successor saw. */
async function crashAndReplace(instanceId: string | undefined) {
  const topic = await seededTopic();
  const groupId = uniqueName('static-group');
  const dead = memberProcess(groupId, topic, instanceId);
  await waitUntil(
    'the first member to be handed both partitions',
    () => new Set(dead.batches.map((b) => b.partition)).size === 2,
  );
  const generation = dead.batches[0]!.generationId;
  dead.child.kill('SIGKILL');
  await new Promise((resolve) => dead.child.once('exit', resolve));
  const killedAt = Date.now();
  const successor = await member(groupId, topic, instanceId);
  await waitUntil(
    'the successor to be handed both partitions',
    () => new Set(successor.batches.map((b) => b.partition)).size === 2,
  );
  return { generation, successor, firstBatchAfterMs: successor.batches[0]!.at - killedAt };
}

describe('static membership (group instance id)', () => {
  it('a member restarted with its instance id gets its partitions back at once, in the same generation', async () => {
    const { generation, successor, firstBatchAfterMs } = await crashAndReplace(uniqueName('instance'));
    // No rebalance: the dead member's place (and assignment) went to its successor.
    expect(successor.batches.every((b) => b.groupMetadata.generationId === generation)).toBe(true);
    expect(firstBatchAfterMs).toBeLessThan(SESSION_TIMEOUT_MS);
  });

  it('without one (what kafkajs does unpatched), the successor waits out the dead member session', async () => {
    const { generation, successor, firstBatchAfterMs } = await crashAndReplace(undefined);
    expect(successor.batches[0]!.groupMetadata.generationId).toBeGreaterThan(generation);
    expect(firstBatchAfterMs).toBeGreaterThan(SESSION_TIMEOUT_MS / 2);
  });

  it('a member that crashes and restarts in its process rejoins without a rebalance of the others', async () => {
    const topic = await seededTopic();
    const groupId = uniqueName('static-group');
    const steady = await member(groupId, topic, uniqueName('instance'));
    await waitUntil(
      'the first member to be handed both partitions',
      () => new Set(steady.batches.map((b) => b.partition)).size === 2,
    );
    // The second member throws from its first batch, once: no retry (retries 0), so kafkajs stops
    // the consumer and starts it again in this process (its "restart on failure").
    let crashes = 0;
    const crashing = await recordingMember(
      kafka,
      topic,
      {
        groupId,
        groupInstanceId: uniqueName('instance'),
        sessionTimeout: SESSION_TIMEOUT_MS,
        retry: { retries: 0, initialRetryTime: 100 },
      },
      () => {
        if (crashes++ === 0) throw new Error('a crash in the batch handler');
      },
    );
    cleanups.push(() => crashing.consumer.disconnect());
    // Its second batch came after the restart (the first one threw; nothing is committed).
    await waitUntil(
      'the crashing member to be handed a batch after its restart',
      () => crashing.batches.length >= 2,
    );
    const [beforeCrash, afterRestart] = crashing.batches;
    const joinedIn = beforeCrash!.groupMetadata.generationId;
    expect(afterRestart!.groupMetadata.generationId).toBe(joinedIn);
    expect(afterRestart!.partition).toBe(beforeCrash!.partition);
    await sleep(3_000);
    // A LeaveGroup would have made a new generation, in which the steady member (it commits
    // nothing) is handed its partition again from the start.
    const generations = new Set(steady.batches.map((b) => b.groupMetadata.generationId));
    expect(Math.max(...generations)).toBe(joinedIn);
  });

  it('two live members with one instance id: the older is fenced and its consumer stops for good', async () => {
    const topic = await seededTopic();
    const groupId = uniqueName('static-group');
    const instanceId = uniqueName('instance');
    const older = await member(groupId, topic, instanceId);
    await waitUntil(
      'the older member to be handed both partitions',
      () => new Set(older.batches.map((b) => b.partition)).size === 2,
    );
    const newer = await member(groupId, topic, instanceId);
    const reason = await Promise.race([older.stopped, sleep(30_000).then(() => undefined)]);
    expect(reason).toBeInstanceOf(DuplicateMemberError);
    expect(reason?.message).toMatch(/another process joined the group with this process's member id/);
    expect((reason?.cause as { type?: string } | undefined)?.type).toBe('FENCED_INSTANCE_ID');
    await waitUntil(
      'the newer member to be handed both partitions',
      () => new Set(newer.batches.map((b) => b.partition)).size === 2,
    );
  });
});
