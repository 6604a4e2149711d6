import { describe, expect, test } from 'vitest';
import { EVENT_FIELDS, MAX_DURATION_MS, MAX_FUTURE_SKEW_MS, machineEventSchema } from './event.ts';
import {
  REJECTION_REASON_CODES,
  REJECTION_REASONS,
  type RejectionReason,
  rejectionReasonSchema,
  rejectionReasonsMarkdown,
} from './rejection-reasons.ts';
import { describeValue, type ValidationResult, validateEvent } from './validation.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0); // 2026-01-01T12:00:00Z
const MIN = 60_000;

const valid = {
  eventId: 'E-1',
  eventTime: '2026-01-01T11:00:00.000Z',
  machineId: 'M-1',
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 1200,
  defectCount: 0,
};

function rejection(r: ValidationResult) {
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r;
}

function accepted(r: ValidationResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.reason}: ${r.message}`);
  return r.value;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('the reason registry', () => {
  test('every code is documented and the list is stable', () => {
    expect(REJECTION_REASON_CODES).toEqual([
      'NOT_AN_OBJECT',
      'MISSING_FIELD',
      'INVALID_TYPE',
      'NOT_AN_INTEGER',
      'INVALID_ID',
      'INVALID_EVENT_TIME',
      'FUTURE_EVENT_TIME',
      'INVALID_DURATION',
      'INVALID_DEFECT_COUNT',
      'OUT_OF_SCOPE',
    ]);
    for (const code of REJECTION_REASON_CODES) {
      expect(REJECTION_REASONS[code].description.length).toBeGreaterThan(20);
      expect(rejectionReasonSchema.parse(code)).toBe(code);
    }
    expect(rejectionReasonSchema.safeParse('SOMETHING_ELSE').success).toBe(false);
  });

  test('renders as a Markdown table with one row per code', () => {
    const table = rejectionReasonsMarkdown().split('\n');
    expect(table.slice(0, 2)).toEqual(['| Code | Meaning |', '| --- | --- |']);
    expect(table).toHaveLength(2 + REJECTION_REASON_CODES.length);
    expect(table[2]).toBe(`| \`NOT_AN_OBJECT\` | ${REJECTION_REASONS.NOT_AN_OBJECT.description} |`);
  });
});

describe('validateEvent accepts', () => {
  test('a valid event, returning exactly the seven fields and the instant', () => {
    const v = accepted(validateEvent(valid, NOW));
    expect(v).toEqual({ event: valid, eventTimeMs: Date.UTC(2026, 0, 1, 11) });
    expect(Object.keys(v.event)).toEqual([...EVENT_FIELDS]);
  });

  test('and strips receivedTime (any type) and unknown fields', () => {
    for (const receivedTime of ['2026-01-01T11:00:01Z', 12, null, 'garbage', { a: 1 }]) {
      const v = accepted(validateEvent({ ...valid, receivedTime, colour: 'red', nested: [1] }, NOW));
      expect(v.event).toEqual(valid);
    }
  });

  test('and keeps eventTime as received while reading its instant', () => {
    const v = accepted(validateEvent({ ...valid, eventTime: '2026-01-01T12:00:00.1239+01:00' }, NOW));
    expect(v.event.eventTime).toBe('2026-01-01T12:00:00.1239+01:00');
    expect(v.eventTimeMs).toBe(Date.UTC(2026, 0, 1, 11, 0, 0, 123));
  });

  test.each([
    ['durationMs 0', { durationMs: 0 }],
    ['durationMs 21 600 000 (exactly 6 h)', { durationMs: MAX_DURATION_MS }],
    ['defectCount -1 (unknown)', { defectCount: -1 }],
    ['defectCount 0', { defectCount: 0 }],
    ['a large defectCount', { defectCount: Number.MAX_SAFE_INTEGER }],
    ['eventTime exactly now + 15 min', { eventTime: iso(NOW + 15 * MIN) }],
    ['eventTime now + 10 min', { eventTime: iso(NOW + 10 * MIN) }],
    ['eventTime exactly now', { eventTime: iso(NOW) }],
    ['eventTime long past', { eventTime: '1969-07-20T20:17:40Z' }],
    ['eventTime +15 min written with an offset', { eventTime: '2026-01-01T13:15:00+01:00' }],
    ['eventTime without milliseconds', { eventTime: '2026-01-01T11:00:00Z' }],
    ['eventTime with a basic-format offset', { eventTime: '2026-01-01T06:00:00-0500' }],
    ['emoji ids', { eventId: '🏭🔧', machineId: '🤖' }],
    ['CJK ids', { machineId: '機械-1', lineId: 'ライン', factoryId: '工場' }],
    ['128-code-point ids', { eventId: '🏭'.repeat(128), machineId: 'm'.repeat(128) }],
    ['ids with quotes and backslashes', { eventId: 'a"b\\c', lineId: '\\"' }],
  ])('%s', (_name, patch) => {
    const v = accepted(validateEvent({ ...valid, ...patch }, NOW));
    expect(v.event).toEqual({ ...valid, ...patch });
  });
});

type Case = [name: string, input: unknown, reason: RejectionReason, eventId: string | null, message: RegExp];

const withoutAll = (...fields: string[]) => {
  const copy: Record<string, unknown> = { ...valid };
  for (const f of fields) delete copy[f];
  return copy;
};

const without = (field: string) => withoutAll(field);

const cases: Case[] = [
  // Not an object
  ['null', null, 'NOT_AN_OBJECT', null, /^event must be a JSON object, got null$/],
  ['an array', [valid], 'NOT_AN_OBJECT', null, /got array/],
  ['an empty array', [], 'NOT_AN_OBJECT', null, /got array/],
  ['a string', 'E-1', 'NOT_AN_OBJECT', null, /got string "E-1"/],
  ['a number', 42, 'NOT_AN_OBJECT', null, /got number 42/],
  ['a boolean', true, 'NOT_AN_OBJECT', null, /got boolean true/],
  ['undefined', undefined, 'NOT_AN_OBJECT', null, /got undefined/],
  ['an empty object', {}, 'MISSING_FIELD', null, /^eventId is required$/],
  // Missing fields, each one
  ...EVENT_FIELDS.map(
    (f): Case => [
      `missing ${f}`,
      without(f),
      'MISSING_FIELD',
      f === 'eventId' ? null : 'E-1',
      new RegExp(`^${f} is required$`),
    ],
  ),
  [
    'a field set to undefined',
    { ...valid, lineId: undefined },
    'MISSING_FIELD',
    'E-1',
    /^lineId is required$/,
  ],
  // Null fields, each one
  ...EVENT_FIELDS.map(
    (f): Case => [
      `null ${f}`,
      { ...valid, [f]: null },
      'INVALID_TYPE',
      f === 'eventId' ? null : 'E-1',
      new RegExp(`^${f} must be (a string|an integer), got null$`),
    ],
  ),
  // Wrong types
  [
    'numeric eventId',
    { ...valid, eventId: 7 },
    'INVALID_TYPE',
    null,
    /^eventId must be a string, got number 7$/,
  ],
  [
    'array machineId',
    { ...valid, machineId: ['M'] },
    'INVALID_TYPE',
    'E-1',
    /machineId must be a string, got array/,
  ],
  ['object lineId', { ...valid, lineId: { id: 'L' } }, 'INVALID_TYPE', 'E-1', /got object/],
  ['boolean factoryId', { ...valid, factoryId: false }, 'INVALID_TYPE', 'E-1', /got boolean false/],
  [
    'epoch eventTime',
    { ...valid, eventTime: NOW },
    'INVALID_TYPE',
    'E-1',
    /^eventTime must be a string, got number/,
  ],
  [
    'string durationMs "100"',
    { ...valid, durationMs: '100' },
    'INVALID_TYPE',
    'E-1',
    /^durationMs must be an integer, got string "100"$/,
  ],
  [
    'string defectCount "100"',
    { ...valid, defectCount: '100' },
    'INVALID_TYPE',
    'E-1',
    /^defectCount must be an integer, got string "100"$/,
  ],
  ['boolean durationMs', { ...valid, durationMs: true }, 'INVALID_TYPE', 'E-1', /got boolean true/],
  ['array defectCount', { ...valid, defectCount: [1] }, 'INVALID_TYPE', 'E-1', /got array/],
  ['bigint durationMs', { ...valid, durationMs: 5n }, 'INVALID_TYPE', 'E-1', /got bigint 5/],
  // Not integers
  [
    'durationMs 1.5',
    { ...valid, durationMs: 1.5 },
    'NOT_AN_INTEGER',
    'E-1',
    /^durationMs must be an integer, got number 1.5$/,
  ],
  [
    'defectCount 1.5',
    { ...valid, defectCount: 1.5 },
    'NOT_AN_INTEGER',
    'E-1',
    /^defectCount must be an integer, got number 1.5$/,
  ],
  ['defectCount -0.5', { ...valid, defectCount: -0.5 }, 'NOT_AN_INTEGER', 'E-1', /got number -0.5/],
  ['durationMs 1e300', { ...valid, durationMs: 1e300 }, 'NOT_AN_INTEGER', 'E-1', /got number 1e\+300/],
  ['defectCount 2^53', { ...valid, defectCount: 2 ** 53 }, 'NOT_AN_INTEGER', 'E-1', /defectCount/],
  ['durationMs NaN', { ...valid, durationMs: Number.NaN }, 'NOT_AN_INTEGER', 'E-1', /got number NaN/],
  [
    'durationMs Infinity',
    { ...valid, durationMs: Number.POSITIVE_INFINITY },
    'NOT_AN_INTEGER',
    'E-1',
    /Infinity/,
  ],
  // Ids
  ['empty eventId', { ...valid, eventId: '' }, 'INVALID_ID', null, /^eventId string "" must not be empty$/],
  [
    'empty machineId',
    { ...valid, machineId: '' },
    'INVALID_ID',
    'E-1',
    /^machineId string "" must not be empty$/,
  ],
  ['129-code-point eventId', { ...valid, eventId: '🏭'.repeat(129) }, 'INVALID_ID', null, /got 129/],
  ['129-character lineId', { ...valid, lineId: 'l'.repeat(129) }, 'INVALID_ID', 'E-1', /^lineId .* got 129$/],
  [
    'control char in eventId',
    { ...valid, eventId: 'E\u0007' },
    'INVALID_ID',
    null,
    /control character \(U\+0007/,
  ],
  ['newline in factoryId', { ...valid, factoryId: 'F\n1' }, 'INVALID_ID', 'E-1', /^factoryId .*U\+000A/],
  [
    'lone surrogate in machineId',
    { ...valid, machineId: 'M\uD800' },
    'INVALID_ID',
    'E-1',
    /unpaired surrogate/,
  ],
  // eventTime
  [
    'eventTime without zone',
    { ...valid, eventTime: '2026-01-01T11:00:00' },
    'INVALID_EVENT_TIME',
    'E-1',
    /no zone/,
  ],
  [
    'eventTime 2026-02-30',
    { ...valid, eventTime: '2026-02-30T11:00:00Z' },
    'INVALID_EVENT_TIME',
    'E-1',
    /calendar/,
  ],
  [
    'eventTime garbage',
    { ...valid, eventTime: 'tomorrow' },
    'INVALID_EVENT_TIME',
    'E-1',
    /^eventTime "tomorrow"/,
  ],
  ['empty eventTime', { ...valid, eventTime: '' }, 'INVALID_EVENT_TIME', 'E-1', /not an ISO-8601/],
  [
    'eventTime date only',
    { ...valid, eventTime: '2026-01-01' },
    'INVALID_EVENT_TIME',
    'E-1',
    /not an ISO-8601/,
  ],
  [
    'eventTime hour 25',
    { ...valid, eventTime: '2026-01-01T25:00:00Z' },
    'INVALID_EVENT_TIME',
    'E-1',
    /time of day/,
  ],
  [
    'eventTime now + 15 min + 1 ms',
    { ...valid, eventTime: iso(NOW + 15 * MIN + 1) },
    'FUTURE_EVENT_TIME',
    'E-1',
    /is 900001 ms after the receive time; at most 900000 ms/,
  ],
  [
    'eventTime now + 20 min',
    { ...valid, eventTime: iso(NOW + 20 * MIN) },
    'FUTURE_EVENT_TIME',
    'E-1',
    /1200000 ms/,
  ],
  [
    'eventTime now + 16 min written with an offset',
    { ...valid, eventTime: '2026-01-01T13:16:00+01:00' },
    'FUTURE_EVENT_TIME',
    'E-1',
    /960000 ms/,
  ],
  [
    'eventTime year 2999',
    { ...valid, eventTime: '2999-01-01T00:00:00Z' },
    'FUTURE_EVENT_TIME',
    'E-1',
    /eventTime/,
  ],
  // Ranges
  [
    'durationMs -1',
    { ...valid, durationMs: -1 },
    'INVALID_DURATION',
    'E-1',
    /^durationMs must be between 0 and 21600000 \(6 h\), got -1$/,
  ],
  [
    'durationMs 21 600 001',
    { ...valid, durationMs: MAX_DURATION_MS + 1 },
    'INVALID_DURATION',
    'E-1',
    /got 21600001$/,
  ],
  [
    'durationMs huge',
    { ...valid, durationMs: Number.MAX_SAFE_INTEGER },
    'INVALID_DURATION',
    'E-1',
    /durationMs/,
  ],
  [
    'defectCount -2',
    { ...valid, defectCount: -2 },
    'INVALID_DEFECT_COUNT',
    'E-1',
    /^defectCount must be -1 \(unknown\) or more, got -2$/,
  ],
  ['defectCount very negative', { ...valid, defectCount: -1000 }, 'INVALID_DEFECT_COUNT', 'E-1', /got -1000/],
];

describe('validateEvent rejects', () => {
  test.each(cases)('%s', (_name, input, reason, eventId, message) => {
    const r = rejection(validateEvent(input, NOW));
    expect(r.reason).toBe(reason);
    expect(r.eventId).toBe(eventId);
    expect(r.message).toMatch(message);
  });

  test('every reason code of validation is exercised above', () => {
    // OUT_OF_SCOPE is the gateway's (a key's scope), tested in services/gateway batch-intake.test.ts.
    const ofValidation = REJECTION_REASON_CODES.filter((c) => c !== 'OUT_OF_SCOPE');
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(ofValidation));
  });

  test('never throws, even on hostile objects', () => {
    const proto = Object.create({ eventId: 'inherited' });
    expect(rejection(validateEvent(proto, NOW)).reason).toBe('MISSING_FIELD');
    const polluted = JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}');
    expect(rejection(validateEvent(polluted, NOW)).reason).toBe('MISSING_FIELD');
    expect(rejection(validateEvent(new Map(), NOW)).reason).toBe('MISSING_FIELD');
  });
});

describe('check order is deterministic and documented', () => {
  test.each<[string, Record<string, unknown>, RejectionReason, RegExp]>([
    // Shape problems of every field come before value problems of any field.
    [
      'missing defectCount beats an empty eventId',
      { ...without('defectCount'), eventId: '' },
      'MISSING_FIELD',
      /defectCount/,
    ],
    [
      'a "100" durationMs beats a future eventTime',
      { ...valid, durationMs: '100', eventTime: iso(NOW + 99 * MIN) },
      'INVALID_TYPE',
      /durationMs/,
    ],
    [
      '1.5 defectCount beats a bad machineId',
      { ...valid, defectCount: 1.5, machineId: '' },
      'NOT_AN_INTEGER',
      /defectCount/,
    ],
    // Within a pass, field order: eventId, eventTime, machineId, lineId, factoryId, durationMs, defectCount.
    [
      'missing eventTime before missing machineId',
      withoutAll('eventTime', 'machineId'),
      'MISSING_FIELD',
      /^eventTime/,
    ],
    [
      'null lineId before "1" durationMs',
      { ...valid, lineId: null, durationMs: '1' },
      'INVALID_TYPE',
      /^lineId/,
    ],
    ['bad eventId before bad eventTime', { ...valid, eventId: '', eventTime: 'x' }, 'INVALID_ID', /^eventId/],
    [
      'bad eventTime before bad machineId',
      { ...valid, eventTime: 'x', machineId: '' },
      'INVALID_EVENT_TIME',
      /^eventTime/,
    ],
    [
      'future eventTime before bad factoryId',
      { ...valid, eventTime: iso(NOW + 20 * MIN), factoryId: '' },
      'FUTURE_EVENT_TIME',
      /^eventTime/,
    ],
    [
      'bad factoryId before bad durationMs',
      { ...valid, factoryId: '', durationMs: -1 },
      'INVALID_ID',
      /^factoryId/,
    ],
    [
      'bad durationMs before bad defectCount',
      { ...valid, durationMs: -1, defectCount: -2 },
      'INVALID_DURATION',
      /^durationMs/,
    ],
  ])('%s', (_name, input, reason, message) => {
    const r = rejection(validateEvent(input, NOW));
    expect(r.reason).toBe(reason);
    expect(r.message).toMatch(message);
  });
});

describe('validateEvent agrees with machineEventSchema on every clock-independent rule', () => {
  test.each(cases.filter((c) => c[2] !== 'FUTURE_EVENT_TIME'))('%s', (_name, input) => {
    expect(machineEventSchema.safeParse(input).success).toBe(false);
  });
});

describe('describeValue', () => {
  test.each<[unknown, string]>([
    [null, 'null'],
    [[1], 'array'],
    [{}, 'object'],
    ['x', 'string "x"'],
    ['say "hi"\n', 'string "say \\"hi\\"\\n"'],
    [1.5, 'number 1.5'],
    [false, 'boolean false'],
    [undefined, 'undefined'],
    ['🏭'.repeat(70), `string "${'🏭'.repeat(64)}…"`],
  ])('%j → %s', (v, s) => {
    expect(describeValue(v)).toBe(s);
  });
});

test('the future-time boundary is exactly MAX_FUTURE_SKEW_MS', () => {
  expect(MAX_FUTURE_SKEW_MS).toBe(15 * MIN);
  expect(validateEvent({ ...valid, eventTime: iso(NOW + MAX_FUTURE_SKEW_MS) }, NOW).ok).toBe(true);
  expect(validateEvent({ ...valid, eventTime: iso(NOW + MAX_FUTURE_SKEW_MS + 1) }, NOW).ok).toBe(false);
  // "now" is a parameter: the same event is valid once the clock has moved on.
  expect(validateEvent({ ...valid, eventTime: iso(NOW + 20 * MIN) }, NOW + 5 * MIN).ok).toBe(true);
});

describe('eventTime range', () => {
  const now = Date.UTC(2026, 10, 22);
  const ev = (eventTime: string) => ({
    eventId: 'e',
    eventTime,
    machineId: 'm',
    lineId: 'l',
    factoryId: 'f',
    durationMs: 1,
    defectCount: 0,
  });
  test.each([
    ['1899-12-31T23:59:59.999Z', false],
    ['1900-01-01T00:00:00Z', true],
    ['1969-12-31T23:59:59Z', true],
    ['1970-01-01T00:00:01Z', true],
  ])('%s accepted: %s', (t, ok) => {
    const r = validateEvent(ev(t), now);
    expect(r.ok).toBe(ok);
    if (!r.ok)
      expect(r).toMatchObject({ reason: 'INVALID_EVENT_TIME', message: expect.stringContaining('1900') });
  });
});
