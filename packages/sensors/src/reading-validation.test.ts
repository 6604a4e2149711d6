import { readFileSync } from 'node:fs';
import { MAX_FUTURE_SKEW_MS } from '@shopfloor/contracts';
import { describe, expect, it } from 'vitest';
import { READING_REJECTION_REASON_CODES, validateReading } from './reading-validation.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const good = {
  equipmentId: 'EQ-1',
  sensorType: 'temperature',
  value: 21.5,
  timestamp: '2026-03-01T11:59:00Z',
};

function reasonOf(input: unknown): string | null {
  const r = validateReading(input, now);
  return r.ok ? null : r.reason;
}

describe('validateReading', () => {
  it('accepts a reading, defaults the unit and parses the instant', () => {
    expect(validateReading(good, now)).toEqual({
      ok: true,
      value: {
        readingId: null,
        equipmentId: 'EQ-1',
        sensorType: 'temperature',
        value: 21.5,
        unit: 'celsius',
        timestamp: '2026-03-01T11:59:00Z',
        timestampMs: Date.parse('2026-03-01T11:59:00Z'),
      },
    });
    const withId = validateReading({ ...good, readingId: 'R-1', unit: 'K', value: -3 }, now);
    expect(withId).toMatchObject({ ok: true, value: { readingId: 'R-1', unit: 'K', value: -3 } });
  });

  it.each([
    [null, 'NOT_AN_OBJECT'],
    [[good], 'NOT_AN_OBJECT'],
    ['reading', 'NOT_AN_OBJECT'],
    [{ ...good, equipmentId: undefined }, 'MISSING_FIELD'],
    [{ sensorType: 'voltage', value: 1, timestamp: good.timestamp }, 'MISSING_FIELD'],
    [{ equipmentId: 'E', sensorType: 'voltage', value: 1 }, 'MISSING_FIELD'],
    [{ ...good, readingId: 7 }, 'INVALID_TYPE'],
    [{ ...good, equipmentId: 7 }, 'INVALID_TYPE'],
    [{ ...good, sensorType: null }, 'INVALID_TYPE'],
    [{ ...good, value: '21.5' }, 'INVALID_TYPE'],
    [{ ...good, value: null }, 'INVALID_TYPE'],
    [{ ...good, unit: 3 }, 'INVALID_TYPE'],
    [{ ...good, timestamp: 1_700_000_000_000 }, 'INVALID_TYPE'],
    [{ ...good, readingId: '' }, 'INVALID_ID'],
    [{ ...good, equipmentId: 'a\u0000b' }, 'INVALID_ID'],
    [{ ...good, equipmentId: 'x'.repeat(129) }, 'INVALID_ID'],
    [{ ...good, sensorType: 'humidity' }, 'INVALID_SENSOR_TYPE'],
    [{ ...good, sensorType: 'Temperature' }, 'INVALID_SENSOR_TYPE'],
    [{ ...good, value: Number.POSITIVE_INFINITY }, 'INVALID_VALUE'],
    [{ ...good, value: Number.NaN }, 'INVALID_VALUE'],
    [{ ...good, unit: '' }, 'INVALID_UNIT'],
    [{ ...good, unit: 'u'.repeat(33) }, 'INVALID_UNIT'],
    [{ ...good, timestamp: '2026-03-01T11:59:00' }, 'INVALID_TIMESTAMP'],
    [{ ...good, timestamp: '2026-02-30T11:59:00Z' }, 'INVALID_TIMESTAMP'],
    [{ ...good, timestamp: 'yesterday' }, 'INVALID_TIMESTAMP'],
    [{ ...good, timestamp: '1899-12-31T23:59:59Z' }, 'INVALID_TIMESTAMP'],
    [{ ...good, timestamp: '2026-03-01T12:15:00.001Z' }, 'FUTURE_TIMESTAMP'],
  ])('rejects %j with %s', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('rejects a reading older than the state horizon as STALE_TIMESTAMP, only with a horizon', () => {
    const receivedAt = Date.parse('2026-03-01T12:00:00Z');
    const day = 86_400_000;
    const at = (iso: string, horizonMs?: number) => {
      const r = validateReading({ ...good, timestamp: iso }, receivedAt, horizonMs);
      return r.ok ? null : r.reason;
    };
    expect(at('2026-02-28T12:00:00Z', day)).toBeNull(); // exactly the horizon old
    expect(at('2026-02-28T11:59:59.999Z', day)).toBe('STALE_TIMESTAMP');
    expect(at('2020-01-01T00:00:00Z')).toBeNull(); // no horizon: any age
  });

  it('parses 1e999 from JSON as infinity and rejects it as INVALID_VALUE', () => {
    expect(
      reasonOf(
        JSON.parse(
          '{"equipmentId":"E","sensorType":"pressure","value":1e999,"timestamp":"2026-03-01T11:00:00Z"}',
        ),
      ),
    ).toBe('INVALID_VALUE');
  });

  it('accepts a timestamp exactly at the future skew and with an offset', () => {
    expect(reasonOf({ ...good, timestamp: new Date(now + MAX_FUTURE_SKEW_MS).toISOString() })).toBeNull();
    expect(reasonOf({ ...good, timestamp: '2026-03-01T13:10:00+01:00' })).toBeNull();
  });

  it('names the readingId of a rejected reading when it has a valid one', () => {
    expect(validateReading({ ...good, readingId: 'R-9', value: 'x' }, now)).toMatchObject({
      ok: false,
      readingId: 'R-9',
      reason: 'INVALID_TYPE',
    });
    expect(validateReading({ ...good, readingId: '' }, now)).toMatchObject({ ok: false, readingId: null });
  });

  it('checks in a fixed order: the first failing field decides the reason', () => {
    expect(reasonOf({ equipmentId: '', sensorType: 'x', value: 'y', timestamp: 'z' })).toBe('INVALID_ID');
    expect(reasonOf({ equipmentId: 'E', sensorType: 'x', value: 'y', timestamp: 'z' })).toBe(
      'INVALID_SENSOR_TYPE',
    );
  });

  it('documents every reason code in the package README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const code of READING_REJECTION_REASON_CODES) expect(readme).toContain(`| \`${code}\` |`);
  });
});
