import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import './provided-context.ts';
import { systemEnvUnder } from './system-env.ts';

/**
 * The environment of a system (or of its services) on the suite's broker and registry with topics
 * and consumer groups of its own: `<label>-<random>.` prefixes every topic and group, so test files
 * never see each other's records.
 */
export function suiteStreamEnv(label: string): { prefix: string; env: Record<string, string> } {
  const prefix = `${label}-${randomBytes(4).toString('hex')}.`;
  return {
    prefix,
    env: systemEnvUnder(prefix, {
      brokers: inject('kafkaBrokers'),
      schemaRegistryUrl: inject('schemaRegistryUrl'),
    }),
  };
}
