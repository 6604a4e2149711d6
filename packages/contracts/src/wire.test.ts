import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import { decide, type WinnerState, winnerFromEvent } from './dedupe-decision.ts';
import type { MachineEvent, ReceivedEvent } from './event.ts';
import {
  type ChangeRecord,
  type ChangeRow,
  changeRecordFor,
  type changeRecordSchema,
  changeRowsFor,
  type DeadLetterRecord,
  type DecodeResult,
  deadLetterRecordFor,
  type deadLetterRecordSchema,
  decodeChangeRecord,
  decodeDeadLetterRecord,
  decodeOutcomeRecord,
  decodeRawEventRecord,
  decodeStateRecord,
  type OutcomeRecord,
  type outcomeRecordSchema,
  type RawEventRecord,
  rawEventRecordFor,
  type rawEventRecordSchema,
  receivedEventOf,
  type StateRecord,
  stateRecordFor,
  type stateRecordSchema,
  winnerOf,
} from './index.ts';
import { validateEvent } from './validation.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

function ok<T>(r: DecodeResult<T>): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

// The scenario the fixtures were written from: one batch, event E-1 received, then corrected.
const NOW = Date.UTC(2026, 0, 1, 12);
const RECEIVED_AT = NOW;
const CORRECTED_AT = NOW + 60_000;
const event: MachineEvent = {
  eventId: 'E-1',
  eventTime: '2026-01-01T11:59:00.123+01:00',
  machineId: 'M-7',
  lineId: 'L-2',
  factoryId: 'F-1',
  durationMs: 4500,
  defectCount: 2,
};
function receivedAt(receivedAt: number, patch: Partial<MachineEvent> = {}): ReceivedEvent {
  const r = validateEvent({ ...event, ...patch }, NOW);
  if (!r.ok) throw new Error(r.message);
  return { ...r.value, receivedAt };
}
const original = receivedAt(RECEIVED_AT);
const correction = receivedAt(CORRECTED_AT, { defectCount: -1, lineId: 'L-3' });
const first = winnerFromEvent(original, 1);
const pos = (seq: number, batchId = 'b-0001') => ({ batchId, seq, batchSize: 3 });

describe('checked-in fixtures decode, and the encoders still produce them', () => {
  test('events.raw', () => {
    const f = fixture('raw-event-record.v1.json');
    const decoded = ok(decodeRawEventRecord(f));
    expect(decoded).toEqual(f);
    expect(rawEventRecordFor(pos(0), original)).toEqual(f);
    expect(receivedEventOf(decoded)).toEqual(original);
  });

  test('events.dlq', () => {
    // The v1 fixture predates payloadJson: its text is the payload serialized again.
    const f = fixture('dead-letter-record.v1.json') as Record<string, unknown>;
    const withText = { ...f, payloadJson: JSON.stringify(f.payload) };
    expect(ok(decodeDeadLetterRecord(f))).toEqual(withText);
    const payload = { ...event, eventId: 'E-2', durationMs: 21_600_001 };
    const failure = validateEvent(payload, NOW);
    if (failure.ok) throw new Error('expected a rejection');
    expect(deadLetterRecordFor(pos(2), RECEIVED_AT, failure, payload)).toEqual(withText);
  });

  test('events.dlq keeps the exact text of the element when the sender passes it', () => {
    const text = '{ "eventId" : "E-2",  "durationMs": 1.50 }';
    const failure = validateEvent(JSON.parse(text), NOW);
    if (failure.ok) throw new Error('expected a rejection');
    const record = deadLetterRecordFor(pos(2), RECEIVED_AT, failure, JSON.parse(text), text);
    expect(record.payloadJson).toBe(text);
    expect(ok(decodeDeadLetterRecord(record))).toEqual(record);
  });

  test('events.state', () => {
    const f = fixture('state-record.v1.json');
    const decoded = ok(decodeStateRecord(f));
    expect(decoded).toEqual(f);
    expect(stateRecordFor(first)).toEqual(f);
    expect(winnerOf(decoded!)).toEqual(first);
  });

  test.each([
    ['accepted', () => decide(undefined, original), 0],
    ['updated', () => decide(first, correction), 1],
    ['stale', () => decide(winnerFromEvent(correction, 2), original), 1],
    ['deduped', () => decide(first, original), 0],
  ])('events.changes, %s', (kind, makeDecision, seq) => {
    const f = fixture(`change-record.${kind}.v1.json`);
    expect(ok(decodeChangeRecord(f))).toEqual(f);
    expect(changeRecordFor(pos(seq, kind === 'accepted' ? 'b-0001' : 'b-0002'), makeDecision())).toEqual(f);
  });

  test('events.outcomes', () => {
    const f = fixture('outcome-record.v1.json');
    expect(ok(decodeOutcomeRecord(f))).toEqual(f);
  });
});

describe('types agree with schemas', () => {
  test('every record', () => {
    expectTypeOf<z.output<typeof rawEventRecordSchema>>().toEqualTypeOf<RawEventRecord>();
    expectTypeOf<z.output<typeof deadLetterRecordSchema>>().toEqualTypeOf<DeadLetterRecord>();
    expectTypeOf<z.output<typeof stateRecordSchema>>().toEqualTypeOf<StateRecord>();
    expectTypeOf<z.output<typeof changeRecordSchema>>().toEqualTypeOf<ChangeRecord>();
    expectTypeOf<z.output<typeof outcomeRecordSchema>>().toEqualTypeOf<OutcomeRecord>();
  });
});

describe('changeRowsFor', () => {
  const row = (sign: 1 | -1, w: WinnerState): ChangeRow => {
    const { payloadKey: _k, ...rest } = w;
    return { sign, ...rest };
  };
  test('accepted → one +1 row', () => {
    const d = decide(undefined, original);
    expect(changeRowsFor(d)).toEqual([row(1, first)]);
  });
  test('updated → -1 for the previous winner, then +1 for the new one', () => {
    const d = decide(first, correction);
    expect(changeRowsFor(d)).toEqual([row(-1, first), row(1, winnerFromEvent(correction, 2))]);
  });
  test('deduped (even with a receivedAt refresh) and stale → no rows', () => {
    expect(changeRowsFor(decide(first, receivedAt(CORRECTED_AT)))).toEqual([]);
    expect(changeRowsFor(decide(first, original))).toEqual([]);
    expect(changeRowsFor(decide(first, receivedAt(RECEIVED_AT - 1, { defectCount: 0 })))).toEqual([]);
  });
  test('rows of a sequence of decisions sum to exactly the final winner', () => {
    let state: WinnerState | undefined;
    const rows: ChangeRow[] = [];
    for (let i = 0; i < 6; i++) {
      const d = decide(state, receivedAt(RECEIVED_AT + i, { defectCount: i, machineId: `M-${i % 2}` }));
      rows.push(...changeRowsFor(d));
      if (d.kind === 'accepted' || d.kind === 'updated') state = d.next;
    }
    const net = new Map<string, number>();
    for (const r of rows) {
      const key = JSON.stringify({ ...r, sign: 0 });
      net.set(key, (net.get(key) ?? 0) + r.sign);
    }
    const live = [...net].filter(([, n]) => n !== 0);
    expect(live).toEqual([[JSON.stringify({ ...row(1, state!), sign: 0 }), 1]]);
  });
});

describe('decoders reject and never throw', () => {
  const raw = fixture('raw-event-record.v1.json') as Record<string, unknown>;
  const dlq = fixture('dead-letter-record.v1.json') as Record<string, unknown>;
  const state = fixture('state-record.v1.json') as Record<string, unknown>;
  const accepted = fixture('change-record.accepted.v1.json') as Record<string, unknown>;
  const updated = fixture('change-record.updated.v1.json') as ChangeRecord;
  const outcome = fixture('outcome-record.v1.json') as OutcomeRecord;

  const decoders = [
    decodeRawEventRecord,
    decodeDeadLetterRecord,
    decodeStateRecord,
    decodeChangeRecord,
    decodeOutcomeRecord,
  ] as const;

  test.each([[undefined], ['{}'], [42], [[]], [{}], [true]])('garbage %j', (input) => {
    for (const decode of decoders) {
      const r = decode(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }
  });

  test('null is a state tombstone but garbage elsewhere', () => {
    expect(decodeStateRecord(null)).toEqual({ ok: true, value: null });
    expect(decodeRawEventRecord(null).ok).toBe(false);
    expect(decodeChangeRecord(null).ok).toBe(false);
  });

  test.each<[string, (input: unknown) => DecodeResult<unknown>, unknown, RegExp]>([
    ['raw without v', decodeRawEventRecord, { ...raw, v: undefined }, /v/],
    ['raw v2', decodeRawEventRecord, { ...raw, v: 2 }, /v/],
    ['raw seq = batchSize', decodeRawEventRecord, { ...raw, seq: 3 }, /seq must be less than batchSize/],
    ['raw negative seq', decodeRawEventRecord, { ...raw, seq: -1 }, /seq/],
    ['raw empty batchId', decodeRawEventRecord, { ...raw, batchId: '' }, /batchId/],
    ['raw fractional receivedAt', decodeRawEventRecord, { ...raw, receivedAt: 1.5 }, /receivedAt/],
    [
      'raw invalid event',
      decodeRawEventRecord,
      { ...raw, event: { ...event, durationMs: -1 } },
      /durationMs/,
    ],
    [
      'raw zone-less eventTime',
      decodeRawEventRecord,
      { ...raw, event: { ...event, eventTime: '2026-01-01T00:00:00' } },
      /eventTime/,
    ],
    ['dlq unknown reason', decodeDeadLetterRecord, { ...dlq, reason: 'TOO_SPICY' }, /reason/],
    ['dlq numeric eventId', decodeDeadLetterRecord, { ...dlq, eventId: 5 }, /eventId/],
    [
      'state payloadKey mismatch',
      decodeStateRecord,
      { ...state, defectCount: 9 },
      /payloadKey does not match/,
    ],
    ['state version 0', decodeStateRecord, { ...state, version: 0 }, /version/],
    ['change accepted without rows', decodeChangeRecord, { ...accepted, rows: [] }, /rows must be/],
    ['change decision unknown', decodeChangeRecord, { ...accepted, decision: 'merged' }, /decision/],
    [
      'change updated with rows swapped',
      decodeChangeRecord,
      { ...updated, rows: [...updated.rows].reverse() },
      /rows must be/,
    ],
    ['change stale with rows', decodeChangeRecord, { ...updated, decision: 'stale' }, /rows must be/],
    [
      'change row of another eventId',
      decodeChangeRecord,
      { ...accepted, rows: [{ ...(accepted.rows as ChangeRow[])[0], eventId: 'E-9' }] },
      /every row must carry the record eventId/,
    ],
    [
      'change row sign 0',
      decodeChangeRecord,
      { ...accepted, rows: [{ ...(accepted.rows as ChangeRow[])[0], sign: 0 }] },
      /sign/,
    ],
    [
      'outcome duplicate seq',
      decodeOutcomeRecord,
      { ...outcome, decisions: [...outcome.decisions, outcome.decisions[0]] },
      /seqs must be distinct/,
    ],
    ['outcome seq out of batch', decodeOutcomeRecord, { ...outcome, batchSize: 1 }, /less than batchSize/],
    [
      'outcome rejected without reason',
      decodeOutcomeRecord,
      { ...outcome, decisions: [{ seq: 0, decision: 'rejected', eventId: null }] },
      /reason/,
    ],
    [
      'outcome unknown decision',
      decodeOutcomeRecord,
      { ...outcome, decisions: [{ seq: 0, decision: 'lost', eventId: null }] },
      /decision/,
    ],
  ])('%s', (_name, decode, input, error) => {
    const r = decode(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  test('unknown fields are dropped, so adding an optional field is not breaking', () => {
    const r = ok(decodeRawEventRecord({ ...raw, traceId: 'abc', event: { ...event, receivedTime: 'x' } }));
    expect(r).toEqual(raw);
  });
});
