import { describe, expect, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import {
  codePointLength,
  idProblem,
  isValidId,
  type MachineEvent,
  machineEventSchema,
  parseEventTime,
  toReceivedEvent,
} from './event.ts';

const event: MachineEvent = {
  eventId: 'E-1',
  eventTime: '2026-01-01T10:00:00Z',
  machineId: 'M-1',
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 1200,
  defectCount: 0,
};

describe('codePointLength', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['日本語', 3],
    ['🏭', 1],
    ['🏭🏭', 2],
    ['👩‍🔧', 3], // woman + ZWJ + wrench: three code points, one grapheme
    ['\uD800', 1], // a lone surrogate is one code point
  ])('%j has %i code points', (s, n) => {
    expect(codePointLength(s)).toBe(n);
  });
});

describe('ids', () => {
  test.each([
    ['ascii', 'M-001'],
    ['single character', 'x'],
    ['emoji', '🏭-line-🔧'],
    ['CJK', '工場-ライン-機械'],
    ['double quote', 'say "hi"'],
    ['backslash', 'C:\\machines\\7'],
    ['spaces inside and around', '  padded id  '],
    ['only a space', ' '],
    ['JSON-looking', '{"eventId":1}'],
    ['line separator U+2028 (Zl, not a control)', 'a\u2028b'],
    ['zero-width joiner', 'a\u200Db'],
    ['128 ASCII characters', 'a'.repeat(128)],
    ['128 emoji (256 UTF-16 units)', '🏭'.repeat(128)],
    ['128 CJK characters', '機'.repeat(128)],
  ])('accepts %s', (_name, id) => {
    expect(idProblem(id)).toBeNull();
    expect(isValidId(id)).toBe(true);
  });

  test.each([
    ['empty', '', /must not be empty/],
    ['129 ASCII characters', 'a'.repeat(129), /at most 128 Unicode code points, got 129/],
    ['129 emoji', '🏭'.repeat(129), /got 129/],
    ['NUL', 'a\u0000b', /control character \(U\+0000 at code point 1\)/],
    ['tab', '\tM-1', /control character \(U\+0009 at code point 0\)/],
    ['newline', 'M-1\n', /U\+000A at code point 3/],
    ['carriage return', 'M\r1', /U\+000D/],
    ['DEL', 'M\u007F', /U\+007F/],
    ['C1 control U+0085', 'M\u0085', /U\+0085/],
    ['C1 control U+009F', 'M\u009F', /U\+009F/],
    ['control after an emoji counts code points', '🏭\u0001', /U\+0001 at code point 1/],
    ['lone high surrogate', 'M\uD83C', /unpaired surrogate \(U\+D83C at code point 1\)/],
    ['lone low surrogate', '\uDFED', /unpaired surrogate/],
  ])('rejects %s', (_name, id, problem) => {
    expect(idProblem(id)).toMatch(problem);
    expect(isValidId(id)).toBe(false);
  });
});

describe('parseEventTime', () => {
  test('keeps ms precision and reads every zone form', () => {
    const t = Date.UTC(2026, 0, 1, 10, 0, 0);
    expect(parseEventTime('2026-01-01T10:00:00Z')).toBe(t);
    expect(parseEventTime('2026-01-01T10:00:00.007Z')).toBe(t + 7);
    expect(parseEventTime('2026-01-01T10:00:00.0079Z')).toBe(t + 7);
    expect(parseEventTime('2026-01-01T12:00:00+02:00')).toBe(t);
    expect(parseEventTime('2026-01-01T12:00:00+0200')).toBe(t);
  });

  test.each([['2026-01-01T10:00:00'], ['2026-02-30T10:00:00Z'], ['not a date']])('rejects %s', (s) => {
    expect(parseEventTime(s)).toBeNull();
  });
});

describe('machineEventSchema (the events.raw event)', () => {
  test('types agree with MachineEvent', () => {
    expectTypeOf<z.output<typeof machineEventSchema>>().toEqualTypeOf<MachineEvent>();
  });

  test('accepts a valid event and strips receivedTime and unknown fields', () => {
    const r = machineEventSchema.safeParse({
      ...event,
      receivedTime: '2026-01-01T10:00:01Z',
      extra: { a: 1 },
    });
    expect(r.success).toBe(true);
    expect(r.data).toEqual(event);
  });

  test.each([
    ['eventId', ''],
    ['machineId', 'a'.repeat(129)],
    ['lineId', 'a\u0000'],
    ['factoryId', 42],
    ['eventTime', '2026-01-01T10:00:00'],
    ['durationMs', -1],
    ['durationMs', 21_600_001],
    ['durationMs', 1.5],
    ['durationMs', '100'],
    ['defectCount', -2],
    ['defectCount', 2 ** 53],
  ])('rejects %s = %j', (field, value) => {
    expect(machineEventSchema.safeParse({ ...event, [field]: value }).success).toBe(false);
  });

  test('does not apply the clock-dependent future rule (log replays must not fail)', () => {
    expect(machineEventSchema.safeParse({ ...event, eventTime: '2999-01-01T00:00:00Z' }).success).toBe(true);
  });
});

describe('toReceivedEvent', () => {
  test('derives eventTimeMs from eventTime', () => {
    expect(toReceivedEvent(event, 5)).toEqual({
      event,
      eventTimeMs: Date.UTC(2026, 0, 1, 10),
      receivedAt: 5,
    });
  });

  test('throws on an eventTime that never passed validation', () => {
    expect(() => toReceivedEvent({ ...event, eventTime: 'nope' }, 5)).toThrow(TypeError);
  });
});
