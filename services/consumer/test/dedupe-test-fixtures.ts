import { readFileSync } from 'node:fs';
import { loadConfig, type ShopfloorConfig } from '@shopfloor/config';
import type { RawEventRecord } from '@shopfloor/contracts';
import { uniqueTopic } from '@shopfloor/test-support';

/**
 * The config of a dedupe test: its own topic prefix and group (so tests on one broker never meet),
 * `partitions` partitions and a short session timeout (a stopped member's partitions move quickly).
 */
export function dedupeTestConfig(
  name: string,
  partitions: number,
  env: NodeJS.ProcessEnv = {},
): ShopfloorConfig {
  const prefix = `${uniqueTopic(name)}.`;
  return loadConfig({
    SHOPFLOOR_TOPIC_PREFIX: prefix,
    SHOPFLOOR_DEDUPE_GROUP: `${prefix}dedupe`,
    SHOPFLOOR_PARTITIONS: String(partitions),
    SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    ...env,
  });
}

const fixture: RawEventRecord = JSON.parse(
  readFileSync(
    new URL('../../../packages/contracts/fixtures/raw-event-record.v1.json', import.meta.url),
    'utf8',
  ),
);

/** The checked-in raw event record, as the event `eventId`. */
export const rawEventRecord = (eventId: string): RawEventRecord => ({
  ...fixture,
  event: { ...fixture.event, eventId },
});
