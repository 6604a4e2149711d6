import { createKafka, type KafkaClient } from '@shopfloor/kafka';
import { uniqueName } from '@shopfloor/kafka/testing';
import { inject, test } from 'vitest';
import type {} from './provided-context.ts';

/** A topic (or group, or transactional id) name no other test or earlier run uses. */
export const uniqueTopic: (prefix: string) => string = uniqueName;

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
