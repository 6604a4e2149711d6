import { randomBytes } from 'node:crypto';
import { createKafka, type KafkaClient } from '@shopfloor/kafka';
import { inject, test } from 'vitest';
import type {} from './provided-context.ts';

let counter = 0;

/** A topic (or group, or transactional id) name no other test or earlier run uses. */
export function uniqueTopic(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(4).toString('hex')}`;
}

export interface KafkaFixtures {
  /** The broker started by the integration project's global setup. */
  brokers: string[];
  /** A kafkajs client for it (clients connect lazily, so there is nothing to tear down). */
  kafka: KafkaClient;
}

/** `kafkaTest('...', async ({ kafka, brokers }) => ...)` against the real broker. */
export const kafkaTest = test.extend<KafkaFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from the pattern
  brokers: async ({}, use) => {
    await use(inject('kafkaBrokers'));
  },
  kafka: async ({ brokers }, use) => {
    await use(createKafka({ brokers, clientId: `test-${process.pid}` }));
  },
});
