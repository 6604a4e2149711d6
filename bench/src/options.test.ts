import { expect, test } from 'vitest';
import { parseBenchOptions, UsageError } from './options.ts';

const parse = (...argv: string[]) => parseBenchOptions(argv, '/tmp/out');

test('the ingest section runs all four scenarios once by default', () => {
  const o = parse();
  expect(o.ingestScenarios).toEqual(['async-1000', 'async-100', 'sync-1000', 'sync-100']);
  expect(o.ingestPasses).toBe(1);
});

test('--ingest-scenarios picks scenarios, kept in the usual order; --ingest-passes repeats them', () => {
  const o = parse('--ingest-scenarios=sync-1000,async-1000', '--ingest-passes=2');
  expect(o.ingestScenarios).toEqual(['async-1000', 'sync-1000']);
  expect(o.ingestPasses).toBe(2);
});

test('an unknown scenario or a pass count below 1 is refused with what is allowed', () => {
  expect(() => parse('--ingest-scenarios=async-500')).toThrow(UsageError);
  expect(() => parse('--ingest-scenarios=async-500')).toThrow(
    /choose from async-1000, async-100, sync-1000, sync-100/,
  );
  expect(() => parse('--ingest-passes=0')).toThrow(/--ingest-passes must be a number ≥ 1/);
});

test('an unknown section is refused the same way', () => {
  expect(() => parse('--sections=ingest,speed')).toThrow(
    /unknown section "speed"; choose from ingest, latency/,
  );
  expect(parse('--sections=latency, ingest').sections).toEqual(['ingest', 'latency']);
});
