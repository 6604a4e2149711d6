import { loadConfig } from '@shopfloor/config';
import { inMemoryStateStores, type WinnerLookup } from '@shopfloor/dedupe';
import { createKafka, jsonCodecs } from '@shopfloor/kafka';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { dedupeRunnerOptions } from './dedupe-service.ts';

const deps = {
  kafka: createKafka({ brokers: ['127.0.0.1:1'], clientId: 'unit' }),
  codecs: jsonCodecs(),
  stores: inMemoryStateStores(),
  log: pino({ level: 'silent' }),
};
const lookup: WinnerLookup = async () => new Map();

describe('dedupeRunnerOptions', () => {
  it('maps the configuration to the runner options', () => {
    const config = loadConfig({
      SHOPFLOOR_TOPIC_PREFIX: 't.',
      SHOPFLOOR_DEDUPE_GROUP: 'g',
      SHOPFLOOR_PARTITIONS: '3',
      SHOPFLOOR_BAD_RECORD_POLICY: 'stop',
      SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: '7000',
    });
    const options = dedupeRunnerOptions(config, deps);
    expect(options).toMatchObject({
      topics: {
        raw: 't.events.raw',
        state: 't.events.state',
        changes: 't.events.change-batches',
        invalid: 't.events.invalid',
      },
      groupId: 'g',
      partitions: 3,
      badRecordPolicy: 'stop',
      sessionTimeoutMs: 7000,
    });
    expect(options.codecs).toBe(deps.codecs);
    expect(options.horizon).toBeUndefined();
  });

  it('turns the horizon on with the winner lookup', () => {
    const config = loadConfig({
      SHOPFLOOR_STATE_HORIZON_SECONDS: '60',
      SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: '500',
    });
    expect(dedupeRunnerOptions(config, { ...deps, winnerLookup: lookup }).horizon).toEqual({
      horizonMs: 60_000,
      sweepIntervalMs: 500,
      lookup,
    });
  });

  it('refuses a horizon with no winner lookup', () => {
    const config = loadConfig({ SHOPFLOOR_STATE_HORIZON_SECONDS: '60' });
    expect(() => dedupeRunnerOptions(config, deps)).toThrow(/SHOPFLOOR_WINNER_LOOKUP_URL/);
  });
});
