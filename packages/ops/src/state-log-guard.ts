import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StateStoreFactory, StateValue } from '@shopfloor/dedupe';
import type { KafkaClient } from '@shopfloor/kafka';
import { readLogFacts } from './log-facts.ts';
import { type DerivedPosition, findLogMismatches, LogMismatchError } from './log-mismatch.ts';

const IDENTITY_FILE = 'log-identity.json';

type StateIdentity = { topic: string; topicId: string };

function readIdentity(stateDir: string): StateIdentity | undefined {
  const file = path.join(stateDir, IDENTITY_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StateIdentity;
}

/**
 * Before a stateful processor decides anything (the dedupe consumer, the metric-events processor):
 * its local state (LMDB checkpoints per partition) must come from the state topic that exists now
 * (same topic id, recorded next to the state) and lie within that topic's log. Throws
 * LogMismatchError otherwise; on agreement records the topic id for the next start.
 */
export async function checkStateAgainstLog<V extends StateValue>(deps: {
  kafka: KafkaClient;
  brokers: string[];
  stores: Pick<StateStoreFactory<V>, 'open'>;
  stateDir: string;
  stateTopic: string;
  partitions: number;
  /** Names the state in the mismatches (default `dedupe`). */
  name?: string;
}): Promise<void> {
  const facts = await readLogFacts(deps.kafka, deps.brokers, [deps.stateTopic]);
  const recorded = readIdentity(deps.stateDir);
  const positions: DerivedPosition[] = [];
  for (let p = 0; p < deps.partitions; p++) {
    const checkpoint = deps.stores.open(p).checkpoint();
    if (checkpoint !== undefined)
      positions.push({ topic: deps.stateTopic, partition: p, next: BigInt(checkpoint) });
  }
  const mismatches = findLogMismatches({
    store: `the ${deps.name ?? 'dedupe'} state in ${deps.stateDir}`,
    recordedTopicIds: new Map(recorded ? [[recorded.topic, recorded.topicId]] : []),
    positions,
    log: facts,
  });
  if (mismatches.length > 0)
    throw new LogMismatchError(deps.name ? `the ${deps.name} processor` : 'the dedupe consumer', mismatches);
  const topicId = facts.topicIds.get(deps.stateTopic);
  if (topicId && recorded?.topicId !== topicId) {
    mkdirSync(deps.stateDir, { recursive: true });
    const identity: StateIdentity = { topic: deps.stateTopic, topicId };
    writeFileSync(path.join(deps.stateDir, IDENTITY_FILE), `${JSON.stringify(identity)}\n`);
  }
}
