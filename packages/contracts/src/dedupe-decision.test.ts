import { describe, expect, test } from 'vitest';
import {
  compareVersions,
  countedAs,
  DECISION_KINDS,
  type Decision,
  type DecisionKind,
  decide,
  stateToStore,
  type WinnerState,
  winnerAfter,
  winnerFromEvent,
} from './dedupe-decision.ts';
import type { MachineEvent, ReceivedEvent } from './event.ts';
import { payloadKey } from './identity.ts';
import { seededRandom } from './testing/seeded-random.ts';
import { validateEvent } from './validation.ts';

const NOW = Date.UTC(2026, 0, 1, 12);

const base: MachineEvent = {
  eventId: 'E-1',
  eventTime: '2026-01-01T10:00:00Z',
  machineId: 'M-1',
  lineId: 'L-1',
  factoryId: 'F-1',
  durationMs: 1000,
  defectCount: 0,
};

function received(receivedAt: number, patch: Partial<MachineEvent> = {}): ReceivedEvent {
  const r = validateEvent({ ...base, ...patch }, NOW);
  if (!r.ok) throw new Error(r.message);
  return { ...r.value, receivedAt };
}

/** Folds versions through `decide`, returning the final state and the decisions taken. */
function run(versions: readonly ReceivedEvent[]): { state: WinnerState | undefined; kinds: DecisionKind[] } {
  let state: WinnerState | undefined;
  const kinds: DecisionKind[] = [];
  for (const v of versions) {
    const d = decide(state, v);
    kinds.push(d.kind);
    state = stateToStore(d) ?? state;
  }
  return { state, kinds };
}

describe('decide', () => {
  test('a new eventId is accepted as version 1', () => {
    const d = decide(undefined, received(100));
    expect(d).toEqual({
      kind: 'accepted',
      next: {
        eventId: 'E-1',
        eventTimeMs: Date.UTC(2026, 0, 1, 10),
        machineId: 'M-1',
        lineId: 'L-1',
        factoryId: 'F-1',
        durationMs: 1000,
        defectCount: 0,
        receivedAt: 100,
        version: 1,
        payloadKey: payloadKey(received(100)),
      },
    });
  });

  describe('identical payload is deduped at any receivedAt', () => {
    const current = winnerFromEvent(received(100), 3);
    test.each([
      ['older', 50, null],
      ['same', 100, null],
      ['newer', 150, 150],
    ])('%s receivedAt', (_name, receivedAt, refreshedTo) => {
      const d = decide(current, received(receivedAt));
      expect(d.kind).toBe('deduped');
      if (d.kind !== 'deduped') return;
      expect(d.current).toBe(current);
      if (refreshedTo === null) expect(d.next).toBeNull();
      else expect(d.next).toEqual({ ...current, receivedAt: refreshedTo, version: 3 });
    });

    test.each([
      ['2026-01-01T10:00:00.000Z'],
      ['2026-01-01T11:00:00+01:00'],
      ['2026-01-01T05:00:00-0500'],
      ['2026-01-01T10:00:00.0004Z'],
    ])('also when eventTime is written %s', (eventTime) => {
      expect(decide(current, received(200, { eventTime })).kind).toBe('deduped');
    });

    test('receivedTime and unknown fields play no part', () => {
      const r = validateEvent({ ...base, receivedTime: '2030-01-01T00:00:00Z', x: 1 }, NOW);
      if (!r.ok) throw new Error(r.message);
      expect(decide(current, { ...r.value, receivedAt: 100 }).kind).toBe('deduped');
    });
  });

  describe('different payload', () => {
    const current = winnerFromEvent(received(100), 1);
    test.each<[string, Partial<MachineEvent>]>([
      ['eventTime', { eventTime: '2026-01-01T10:00:00.001Z' }],
      ['machineId', { machineId: 'M-2' }],
      ['lineId', { lineId: 'L-2' }],
      ['factoryId', { factoryId: 'F-2' }],
      ['durationMs', { durationMs: 1001 }],
      ['defectCount', { defectCount: -1 }],
    ])('in %s, received later, is an update', (_name, patch) => {
      const incoming = received(101, patch);
      const d = decide(current, incoming);
      expect(d).toEqual({ kind: 'updated', previous: current, next: winnerFromEvent(incoming, 2) });
    });

    test('received earlier is stale and changes nothing', () => {
      const d = decide(current, received(99, { defectCount: 5 }));
      expect(d).toEqual({ kind: 'stale', current });
      expect(stateToStore(d)).toBeNull();
    });
  });

  describe('ties in receivedAt break on payloadKey, independent of arrival order', () => {
    const a = received(100, { defectCount: 1 });
    const b = received(100, { defectCount: 2 });
    const [low, high] = payloadKey(a) < payloadKey(b) ? [a, b] : [b, a];

    test('the greater payloadKey wins whichever arrives first', () => {
      const lowFirst = decide(winnerFromEvent(low, 1), high);
      expect(lowFirst.kind).toBe('updated');
      const highFirst = decide(winnerFromEvent(high, 1), low);
      expect(highFirst.kind).toBe('stale');
      expect(winnerAfter(lowFirst).payloadKey).toBe(payloadKey(high));
      expect(winnerAfter(highFirst).payloadKey).toBe(payloadKey(high));
    });

    test('decide(decide(a), b) and decide(decide(b), a) end at the same winner', () => {
      const ab = run([a, b]).state!;
      const ba = run([b, a]).state!;
      expect(ab.payloadKey).toBe(ba.payloadKey);
      expect(ab.receivedAt).toBe(ba.receivedAt);
    });

    test('payloadKey order is JS string order (UTF-16 units), e.g. "M-10" < "M-9"', () => {
      const m9 = received(100, { machineId: 'M-9' });
      const m10 = received(100, { machineId: 'M-10' });
      expect(run([m9, m10]).state!.machineId).toBe('M-9');
      expect(run([m10, m9]).state!.machineId).toBe('M-9');
    });
  });

  test('five successive corrections each update and bump the version', () => {
    const versions = [0, 1, 2, 3, 4, 5].map((i) => received(1000 + i, { defectCount: i }));
    const { state, kinds } = run(versions);
    expect(kinds).toEqual(['accepted', 'updated', 'updated', 'updated', 'updated', 'updated']);
    expect(state).toMatchObject({ defectCount: 5, version: 6, receivedAt: 1005 });
  });

  test('corrections arriving in reverse order leave the newest winner at version 1', () => {
    const versions = [5, 4, 3, 2, 1, 0].map((i) => received(1000 + i, { defectCount: i }));
    const { state, kinds } = run(versions);
    expect(kinds).toEqual(['accepted', 'stale', 'stale', 'stale', 'stale', 'stale']);
    expect(state).toMatchObject({ defectCount: 5, version: 1, receivedAt: 1005 });
  });

  test('a later duplicate of the winner protects it from an older correction (A@1, A@3, B@2)', () => {
    const a1 = received(1);
    const a3 = received(3);
    const b2 = received(2, { defectCount: 9 });
    for (const order of [
      [a1, a3, b2],
      [a1, b2, a3],
      [b2, a1, a3],
      [b2, a3, a1],
      [a3, a1, b2],
      [a3, b2, a1],
    ]) {
      const { state } = run(order);
      expect(state).toMatchObject({ defectCount: 0, receivedAt: 3 });
    }
  });

  test('a correction may move the event to another machine, line or time', () => {
    const d = decide(
      winnerFromEvent(received(1), 1),
      received(2, { machineId: 'M-2', lineId: 'L-9', eventTime: '2025-06-01T00:00:00Z' }),
    );
    expect(d.kind).toBe('updated');
    if (d.kind === 'updated') {
      expect(d.previous.machineId).toBe('M-1');
      expect(d.next).toMatchObject({ machineId: 'M-2', lineId: 'L-9', eventTimeMs: Date.UTC(2025, 5, 1) });
    }
  });

  test('state of another eventId is a caller bug and throws', () => {
    expect(() => decide(winnerFromEvent(received(1), 1), received(2, { eventId: 'E-2' }))).toThrow(
      /E-1.*E-2/,
    );
  });
});

describe('countedAs', () => {
  test.each<[DecisionKind, string]>([
    ['accepted', 'accepted'],
    ['deduped', 'deduped'],
    ['updated', 'updated'],
    ['stale', 'deduped'],
  ])('%s counts as %s', (kind, counted) => {
    expect(countedAs(kind)).toBe(counted);
  });

  test('DECISION_KINDS lists every kind', () => {
    expect(DECISION_KINDS).toEqual(['accepted', 'deduped', 'updated', 'stale']);
  });
});

describe('stateToStore and winnerAfter', () => {
  const w1 = winnerFromEvent(received(1), 1);
  const w2 = winnerFromEvent(received(2, { defectCount: 3 }), 2);
  test.each<[string, Decision, WinnerState | null, WinnerState]>([
    ['accepted', { kind: 'accepted', next: w1 }, w1, w1],
    ['updated', { kind: 'updated', previous: w1, next: w2 }, w2, w2],
    ['deduped, unchanged', { kind: 'deduped', current: w1, next: null }, null, w1],
    [
      'deduped, refreshed',
      { kind: 'deduped', current: w1, next: { ...w1, receivedAt: 5 } },
      { ...w1, receivedAt: 5 },
      { ...w1, receivedAt: 5 },
    ],
    ['stale', { kind: 'stale', current: w2 }, null, w2],
  ])('%s', (_name, d, stored, winner) => {
    expect(stateToStore(d)).toEqual(stored);
    expect(winnerAfter(d)).toEqual(winner);
  });
});

describe('compareVersions', () => {
  test.each([
    [{ receivedAt: 2, payloadKey: 'a' }, { receivedAt: 1, payloadKey: 'z' }, 1],
    [{ receivedAt: 1, payloadKey: 'z' }, { receivedAt: 2, payloadKey: 'a' }, -1],
    [{ receivedAt: 1, payloadKey: 'b' }, { receivedAt: 1, payloadKey: 'a' }, 1],
    [{ receivedAt: 1, payloadKey: 'a' }, { receivedAt: 1, payloadKey: 'b' }, -1],
    [{ receivedAt: 1, payloadKey: 'a' }, { receivedAt: 1, payloadKey: 'a' }, 0],
  ])('%j vs %j → %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('property: any arrival order converges to the same winner', () => {
  test.each(Array.from({ length: 40 }, (_, i) => [i + 1]))('seed %i', (seed) => {
    const rand = seededRandom(seed);
    // Few payloads and a narrow receivedAt range force duplicates and ties.
    const count = 2 + Math.floor(rand() * 7);
    const versions = Array.from({ length: count }, () =>
      received(Math.floor(rand() * 4), {
        defectCount: Math.floor(rand() * 3) - 1,
        machineId: rand() < 0.5 ? 'M-1' : 'M-2',
      }),
    );
    const best = versions.reduce((a, b) =>
      compareVersions(
        { receivedAt: b.receivedAt, payloadKey: payloadKey(b) },
        { receivedAt: a.receivedAt, payloadKey: payloadKey(a) },
      ) > 0
        ? b
        : a,
    );
    for (let round = 0; round < 25; round++) {
      const { state, kinds } = run(shuffle(versions, rand));
      expect(state!.payloadKey).toBe(payloadKey(best));
      expect(state!.receivedAt).toBe(best.receivedAt);
      expect(kinds.filter((k) => k === 'accepted')).toHaveLength(1);
      expect(kinds[0]).toBe('accepted');
      expect(state!.version).toBe(1 + kinds.filter((k) => k === 'updated').length);
    }
  });
});
