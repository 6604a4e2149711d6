import { describe, expect, test } from 'vitest';
import type { MachineEvent, ReceivedEventDraft } from './event.ts';
import { type IdentityPayload, payloadKey, payloadOf, samePayload } from './identity.ts';
import { validateEvent } from './validation.ts';

const NOW = Date.UTC(2026, 0, 1, 12);

const base: MachineEvent = {
  eventId: 'E-1',
  eventTime: '2026-01-01T00:00:00Z',
  machineId: 'M-1',
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 1200,
  defectCount: 0,
};

function draft(patch: Partial<MachineEvent> & Record<string, unknown> = {}): ReceivedEventDraft {
  const r = validateEvent({ ...base, ...patch }, NOW);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('payloadKey', () => {
  test('is the canonical JSON array of the identity payload', () => {
    expect(payloadKey(draft())).toBe('[1767225600000,"M-1","L-1","F-1",1200,0]');
  });

  test('accepts a payload or a validated event alike', () => {
    const d = draft();
    expect(payloadKey(payloadOf(d))).toBe(payloadKey(d));
  });

  test.each([
    ['2026-01-01T00:00:00Z'],
    ['2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.0000001Z'],
    ['2026-01-01T00:00:00+00:00'],
    ['2026-01-01T00:00:00-00:00'],
    ['2026-01-01T00:00:00+0000'],
    ['2026-01-01T01:00:00+01:00'],
    ['2025-12-31T19:00:00-05:00'],
    ['2026-01-01t00:00:00z'],
  ])('eventTime %s is the same instant as 2026-01-01T00:00:00Z', (eventTime) => {
    expect(payloadKey(draft({ eventTime }))).toBe(payloadKey(draft()));
    expect(samePayload(draft({ eventTime }), draft())).toBe(true);
  });

  test('ignores eventId, receivedTime and unknown fields', () => {
    const other = draft({ eventId: 'E-2', receivedTime: '2026-01-01T00:00:05Z', note: 'x' });
    expect(samePayload(other, draft())).toBe(true);
  });

  test.each<[string, Partial<MachineEvent>]>([
    ['eventTime +1 ms', { eventTime: '2026-01-01T00:00:00.001Z' }],
    ['machineId', { machineId: 'M-2' }],
    ['lineId', { lineId: 'L-2' }],
    ['factoryId', { factoryId: 'F-2' }],
    ['durationMs', { durationMs: 1201 }],
    ['defectCount', { defectCount: 1 }],
    ['defectCount unknown vs 0', { defectCount: -1 }],
    ['machineId case', { machineId: 'm-1' }],
    ['machineId trailing space', { machineId: 'M-1 ' }],
  ])('a different %s is a different payload', (_name, patch) => {
    expect(samePayload(draft(patch), draft())).toBe(false);
    expect(payloadKey(draft(patch))).not.toBe(payloadKey(draft()));
  });

  test('is injective across field boundaries (quotes, commas, backslashes cannot collide)', () => {
    const p = (machineId: string, lineId: string): IdentityPayload => ({
      eventTimeMs: 0,
      machineId,
      lineId,
      factoryId: 'F',
      durationMs: 0,
      defectCount: 0,
    });
    const pairs: [string, string][] = [
      ['a","b', 'c'],
      ['a', 'b","c'],
      ['a\\', '"b'],
      ['a', '\\"b'],
      ['a,b', 'c'],
      ['a', 'b,c'],
    ];
    const keys = pairs.map(([m, l]) => payloadKey(p(m, l)));
    expect(new Set(keys).size).toBe(pairs.length);
  });

  test('is stable for unicode ids', () => {
    expect(payloadKey(draft({ machineId: '機械🏭', lineId: 'a"b\\c' }))).toBe(
      '[1767225600000,"機械🏭","L-1","F-1",1200,0]'.replace('"L-1"', '"a\\"b\\\\c"'),
    );
  });
});
