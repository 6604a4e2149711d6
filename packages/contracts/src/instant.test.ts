import { describe, expect, test } from 'vitest';
import {
  daysInMonth,
  formatInstant,
  parseInstantByPattern,
  parseInstantDetailed,
  parseIsoInstant,
} from './instant.ts';
import { seededRandom } from './testing/seeded-random.ts';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0); // 2026-01-01T00:00:00Z

describe('parseIsoInstant accepts ISO-8601 with a zone', () => {
  test.each([
    ['2026-01-01T00:00:00Z', T0],
    ['2026-01-01T00:00:00.000Z', T0],
    ['2026-01-01T00:00:00.0Z', T0],
    ['2026-01-01T00:00:00.5Z', T0 + 500],
    ['2026-01-01T00:00:00.05Z', T0 + 50],
    ['2026-01-01T00:00:00.123Z', T0 + 123],
    ['2026-01-01T00:00:00.1239Z', T0 + 123],
    ['2026-01-01T00:00:00.999999999Z', T0 + 999],
    ['2026-01-01T00:00:00+00:00', T0],
    ['2026-01-01T00:00:00-00:00', T0],
    ['2026-01-01T00:00:00+0000', T0],
    ['2026-01-01T01:00:00+01:00', T0],
    ['2026-01-01T01:00:00+0100', T0],
    ['2025-12-31T19:00:00-05:00', T0],
    ['2026-01-01T05:30:00+05:30', T0],
    ['2025-12-31T23:15:00-00:45', T0],
    ['2026-01-01t00:00:00z', T0],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999Z', -1],
    ['1969-12-31T23:59:59.9999Z', -1],
    ['1900-01-01T00:00:00Z', Date.UTC(1900, 0, 1)],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['0000-01-01T00:00:00Z', -62_167_219_200_000],
    ['9999-12-31T23:59:59.999Z', 253_402_300_799_999],
    ['2026-12-31T23:59:59Z', Date.UTC(2026, 11, 31, 23, 59, 59)],
  ])('%s', (s, ms) => {
    expect(parseIsoInstant(s)).toBe(ms);
  });
});

describe('parseIsoInstant rejects', () => {
  test.each([
    ['no zone', '2026-01-01T00:00:00', /no zone/],
    ['no zone, with fraction', '2026-01-01T00:00:00.123', /no zone/],
    ['date only', '2026-01-01', /not an ISO-8601/],
    ['no seconds', '2026-01-01T00:00Z', /not an ISO-8601/],
    ['space separator', '2026-01-01 00:00:00Z', /not an ISO-8601/],
    ['empty', '', /not an ISO-8601/],
    ['garbage', 'yesterday', /not an ISO-8601/],
    ['epoch number as string', '1767225600000', /not an ISO-8601/],
    ['hour-only offset', '2026-01-01T00:00:00+01', /not an ISO-8601/],
    ['empty fraction', '2026-01-01T00:00:00.Z', /not an ISO-8601/],
    ['10 fraction digits', '2026-01-01T00:00:00.1234567890Z', /not an ISO-8601/],
    ['comma fraction', '2026-01-01T00:00:00,5Z', /not an ISO-8601/],
    ['5-digit year', '12026-01-01T00:00:00Z', /not an ISO-8601/],
    ['signed year', '-2026-01-01T00:00:00Z', /not an ISO-8601/],
    ['leading space', ' 2026-01-01T00:00:00Z', /not an ISO-8601/],
    ['trailing newline', '2026-01-01T00:00:00Z\n', /not an ISO-8601/],
    ['non-ASCII digits', '２０２６-01-01T00:00:00Z', /not an ISO-8601/],
    ['Feb 30', '2026-02-30T00:00:00Z', /calendar date \(2026-02-30\)/],
    ['Feb 29 in a common year', '2026-02-29T00:00:00Z', /calendar date/],
    ['Feb 29 in 1900', '1900-02-29T00:00:00Z', /calendar date/],
    ['Apr 31', '2026-04-31T00:00:00Z', /calendar date/],
    ['month 0', '2026-00-10T00:00:00Z', /calendar date/],
    ['month 13', '2026-13-01T00:00:00Z', /calendar date/],
    ['day 0', '2026-01-00T00:00:00Z', /calendar date/],
    ['day 32', '2026-01-32T00:00:00Z', /calendar date/],
    ['hour 24', '2026-01-01T24:00:00Z', /time of day/],
    ['minute 60', '2026-01-01T00:60:00Z', /time of day/],
    ['leap second', '2026-01-01T23:59:60Z', /time of day/],
    ['offset hour 24', '2026-01-01T00:00:00+24:00', /zone offset/],
    ['offset minute 60', '2026-01-01T00:00:00+01:60', /zone offset/],
  ])('%s: %s', (_name, s, problem) => {
    expect(parseIsoInstant(s)).toBeNull();
    const r = parseInstantDetailed(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});

describe('daysInMonth', () => {
  test.each([
    [2026, 1, 31],
    [2026, 2, 28],
    [2024, 2, 29],
    [2000, 2, 29],
    [2100, 2, 28],
    [2026, 4, 30],
    [2026, 6, 30],
    [2026, 9, 30],
    [2026, 11, 30],
    [2026, 12, 31],
  ])('%i-%i has %i days', (y, m, n) => {
    expect(daysInMonth(y, m)).toBe(n);
  });
});

describe('formatInstant', () => {
  test.each([
    [T0, '2026-01-01T00:00:00.000Z'],
    [T0 + 1, '2026-01-01T00:00:00.001Z'],
    [0, '1970-01-01T00:00:00.000Z'],
    [-1, '1969-12-31T23:59:59.999Z'],
    [-62_167_219_200_000, '0000-01-01T00:00:00.000Z'],
    [253_402_300_799_999, '9999-12-31T23:59:59.999Z'],
  ])('%i → %s', (ms, s) => {
    expect(formatInstant(ms)).toBe(s);
  });

  test('round-trips through parseIsoInstant, and agrees with Date#toISOString, across eras', () => {
    for (let i = 0; i < 2000; i++) {
      // Spread over years 0000–9999, including negative epoch ms and odd milliseconds.
      const ms = -62_167_219_200_000 + Math.floor(((i * 7919) % 2000) * 157_784_630_400) + i * 37;
      const s = formatInstant(ms);
      expect(parseIsoInstant(s)).toBe(ms);
      if (ms >= -62_135_596_800_000) expect(s).toBe(new Date(ms).toISOString());
    }
  });

  test.each([[1.5], [Number.NaN], [-62_167_219_200_001], [253_402_300_800_000]])('rejects %d', (ms) => {
    expect(() => formatInstant(ms)).toThrow(RangeError);
  });
});

describe('parseInstantDetailed (char-code fast path) agrees with the regex reading of the grammar', () => {
  // Valid instants of every shape, then one to three characters replaced, inserted or removed,
  // drawn from the characters the grammar cares about: each result (instant or problem) must be the same.
  const shapes = [
    '2026-01-01T00:00:00Z',
    '2024-02-29t23:59:59.999999999z',
    '1969-12-31T23:59:59.5+05:30',
    '0000-01-01T00:00:00.12-0045',
    '9999-12-31T23:59:59-00:00',
    '2026-06-15T12:34:56.789+2359',
  ];
  const alphabet = '0123456789-:T tZz+.,9０';
  test('20 000 mutated instants', () => {
    const random = seededRandom(20_261_130);
    const pick = (n: number) => Math.floor(random() * n);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let s = shapes[pick(shapes.length)] as string;
      for (let edits = pick(4); edits > 0; edits--) {
        const at = pick(s.length + 1);
        const c = alphabet[pick(alphabet.length)] as string;
        const kind = pick(3);
        s =
          kind === 0
            ? s.slice(0, at) + c + s.slice(at + 1)
            : kind === 1
              ? s.slice(0, at) + c + s.slice(at)
              : s.slice(0, at) + s.slice(at + 1);
      }
      const reference = parseInstantByPattern(s);
      expect(parseInstantDetailed(s), s).toEqual(reference);
      if (reference.ok) accepted++;
    }
    expect(accepted).toBeGreaterThan(2_000); // the valid side is exercised too, not only rejections
  });
});
