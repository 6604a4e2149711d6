import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isUnreachable, registryMessage, SCHEMA_REGISTRY_ERRORS, SchemaRegistryError } from './errors.ts';

describe('schema registry errors', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  test.each(
    Object.entries(SCHEMA_REGISTRY_ERRORS),
  )('%s is documented in the README with its retriable flag', (code, e) => {
    expect(readme).toContain(`| \`${code}\` | ${e.retriable ? 'yes' : 'no'} | ${e.description} |`);
  });

  test('the retriable flag follows the code', () => {
    expect(new SchemaRegistryError('SCHEMA_REGISTRY_UNAVAILABLE', 'x').retriable).toBe(true);
    expect(new SchemaRegistryError('SCHEMA_INCOMPATIBLE', 'x').retriable).toBe(false);
  });

  test('a refused connection is told apart from an answer, whatever status the library puts on it', () => {
    const refused = Object.assign(
      new Error('Confluent_Schema_Registry - Error, status 400: connect ECONNREFUSED 127.0.0.1:1'),
      { status: 400 },
    );
    expect(isUnreachable(refused)).toBe(true);
    expect(isUnreachable(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('shopfloor - Schema 9 not found.'), { status: 404 }))).toBe(
      false,
    );
    expect(registryMessage(new Error('shopfloor - Schema 9 not found.'))).toBe('Schema 9 not found.');
  });
});
