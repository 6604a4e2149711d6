import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import './provided-context.ts';

/**
 * The environment of a system (or of its services) on the suite's broker and registry with topics
 * and consumer groups of its own: `<label>-<random>.` prefixes every topic and group, so test files
 * never see each other's records.
 */
export function suiteStreamEnv(label: string): { prefix: string; env: Record<string, string> } {
  const prefix = `${label}-${randomBytes(4).toString('hex')}.`;
  return {
    prefix,
    env: {
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
      SHOPFLOOR_TOPIC_PREFIX: prefix,
      SHOPFLOOR_DEDUPE_GROUP: `${prefix}dedupe`,
      SHOPFLOOR_PROJECTOR_GROUP: `${prefix}projector`,
      SHOPFLOOR_SENSOR_GROUP: `${prefix}sensors`,
      SHOPFLOOR_SENSOR_PROJECTOR_GROUP: `${prefix}sensor-projector`,
      // The metric-events group is left to its default, `<prefix>shopfloor-metric-events`.
    },
  };
}
