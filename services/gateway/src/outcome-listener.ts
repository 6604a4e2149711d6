import { randomUUID } from 'node:crypto';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { OutcomeTracker } from '@shopfloor/http-kit';
import { consumerStopped, EMPTY_FETCH_WAIT_MS, type KafkaClient, type RecordCodec } from '@shopfloor/kafka';
import type { Logger } from 'pino';

/**
 * Feeds the tracker from events.outcomes. Every gateway instance reads every outcome (a group of
 * its own, starting at the end), since the batch a record answers may be waiting on any of them.
 * Resolves once the member has joined, so no outcome of a batch posted afterwards is missed.
 */
export async function listenForOutcomes(
  kafka: KafkaClient,
  topic: string,
  codec: RecordCodec<OutcomeRecord>,
  tracker: OutcomeTracker,
  log: Logger,
): Promise<{ stopped: Promise<Error>; stop(): Promise<void> }> {
  const consumer = kafka.consumer({
    groupId: `shopfloor-gateway-${randomUUID()}`,
    maxWaitTimeInMs: EMPTY_FETCH_WAIT_MS,
  });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  const stopped = consumerStopped(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const decoded = await codec.decode(message.value);
      if (decoded.ok) tracker.ingest(decoded.value);
      else log.warn({ offset: message.offset, error: decoded.error }, 'undecodable outcome record');
    },
  });
  await joined;
  return { stopped, stop: () => consumer.disconnect() };
}
