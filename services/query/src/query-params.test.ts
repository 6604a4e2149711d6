import { describe, expect, test } from 'vitest';
import { deadLettersQuerySchema, statsQuerySchema, topLinesQuerySchema } from './query-params.ts';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? [] : (r.error?.issues.map((i) => i.message) ?? []);

describe('statsQuerySchema', () => {
  test('keeps the window as sent next to its epoch ms', () => {
    expect(
      statsQuerySchema.parse({
        machineId: 'M-1',
        start: '2026-03-01T10:00:00+01:00',
        end: '2026-03-01T10:00:00.5Z',
      }),
    ).toEqual({
      machineId: 'M-1',
      start: '2026-03-01T10:00:00+01:00',
      end: '2026-03-01T10:00:00.5Z',
      startMs: Date.parse('2026-03-01T09:00:00Z'),
      endMs: Date.parse('2026-03-01T10:00:00.500Z'),
    });
  });

  test('a repeated parameter counts with its first value', () => {
    const q = statsQuerySchema.parse({
      machineId: ['M-1', 'M-2'],
      start: '2026-03-01T00:00:00Z',
      end: '2026-03-01T00:00:00Z',
    });
    expect(q.machineId).toBe('M-1');
  });

  test.each([
    [{ start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' }, /machineId is required/],
    [
      { machineId: '', start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
      /machineId must be 1-128/,
    ],
    [
      { machineId: 'M', start: '2026-03-01T00:00:00', end: '2026-03-02T00:00:00Z' },
      /start must be an ISO-8601 instant with a zone/,
    ],
    [
      { machineId: 'M', start: '2026-03-02T00:00:00Z', end: '2026-03-01T00:00:00Z' },
      /end must not be before start/,
    ],
  ])('%j is refused naming the parameter', (query, message) => {
    const r = statsQuerySchema.safeParse(query);
    expect(r.success).toBe(false);
    expect(messages(r).join('; ')).toMatch(message);
  });
});

describe('topLinesQuerySchema', () => {
  const window = { factoryId: 'F-1', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };

  test('limit defaults to 10 and takes 1 to 1000', () => {
    expect(topLinesQuerySchema.parse(window)).toMatchObject({ factoryId: 'F-1', limit: 10 });
    expect(topLinesQuerySchema.parse({ ...window, limit: '1000' }).limit).toBe(1000);
  });

  test.each(['0', '1001', 'abc', '1.5'])('limit=%s is refused', (limit) => {
    expect(messages(topLinesQuerySchema.safeParse({ ...window, limit })).join()).toMatch(
      /limit must be a whole number from 1 to 1000/,
    );
  });

  test('start/end are aliases of from/to for older clients; from/to win when both are sent', () => {
    const viaAliases = topLinesQuerySchema.parse({
      factoryId: 'F-1',
      start: '2026-03-01T00:00:00Z',
      end: '2026-03-02T00:00:00Z',
    });
    expect(viaAliases).toEqual(topLinesQuerySchema.parse(window));
    expect(
      topLinesQuerySchema.parse({ ...window, start: '2020-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' }),
    ).toEqual(topLinesQuerySchema.parse(window));
    expect(messages(topLinesQuerySchema.safeParse({ factoryId: 'F-1', start: window.from })).join()).toMatch(
      /to \(or end\) is required/,
    );
  });

  test('to before from is refused', () => {
    expect(messages(topLinesQuerySchema.safeParse({ ...window, to: '2026-02-01T00:00:00Z' }))).toEqual([
      'to must not be before from',
    ]);
  });
});

describe('deadLettersQuerySchema', () => {
  test('batchId and limit are optional; limit is 1 to 10 000', () => {
    expect(deadLettersQuerySchema.parse({})).toEqual({});
    expect(deadLettersQuerySchema.parse({ batchId: 'b-1', limit: '5' })).toEqual({
      batchId: 'b-1',
      limit: 5,
    });
    expect(deadLettersQuerySchema.safeParse({ limit: '10001' }).success).toBe(false);
  });
});
