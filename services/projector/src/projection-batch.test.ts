import type { DecodedRecord } from '@shopfloor/group-projector';
import { describe, expect, it } from 'vitest';
import { changeRecord, deadLetterRecord } from '../test/records.ts';
import { projectChanges, projectDeadLetters } from './projection-batch.ts';

const decoded = <T>(value: T, offset: number): DecodedRecord<T> => ({
  value,
  offset: String(offset),
  timestamp: 1_000 + offset,
});

describe('projectChanges', () => {
  const records = [
    decoded(changeRecord('b-1', 0), 10),
    decoded(changeRecord('b-2', 0), 11),
    decoded(
      {
        ...changeRecord('b-1', 1),
        decision: 'updated' as const,
        rows: [
          { ...changeRecord('b-1', 1).rows[0]!, sign: -1 as const },
          { ...changeRecord('b-1', 1).rows[0]!, lineId: 'L-2', version: 2 },
        ],
      },
      12,
    ),
  ];

  it('emits every signed row, in record order', () => {
    const out = projectChanges(records);
    expect(out.changes.map((r) => [r.eventId, r.sign, r.lineId])).toEqual([
      ['E-b-1-0', 1, 'L-1'],
      ['E-b-2-0', 1, 'L-1'],
      ['E-b-1-1', -1, 'L-1'],
      ['E-b-1-1', 1, 'L-2'],
    ]);
    expect(out.rejected).toEqual([]);
  });

  it('records each decision with the record time, and one outcome per batch with its decisions', () => {
    const out = projectChanges(records);
    expect(out.batchEvents[2]).toEqual({
      batchId: 'b-1',
      seq: 1,
      batchSize: 3,
      eventId: 'E-b-1-1',
      decision: 'updated',
      reason: '',
      recordedAt: 1_012,
    });
    expect(out.outcomes).toEqual([
      {
        v: 1,
        batchId: 'b-1',
        batchSize: 3,
        decisions: [
          { seq: 0, decision: 'accepted', eventId: 'E-b-1-0' },
          { seq: 1, decision: 'updated', eventId: 'E-b-1-1' },
        ],
      },
      {
        v: 1,
        batchId: 'b-2',
        batchSize: 3,
        decisions: [{ seq: 0, decision: 'accepted', eventId: 'E-b-2-0' }],
      },
    ]);
  });

  it('gives the same rows for the same records (a replay deduplicates)', () => {
    expect(projectChanges(records)).toEqual(projectChanges(records));
  });

  it('gives nothing for nothing', () => {
    expect(projectChanges([])).toEqual({ changes: [], batchEvents: [], rejected: [], outcomes: [] });
  });
});

describe('projectDeadLetters', () => {
  it('keeps the payload as received (JSON), decides rejected with the reason, and reports it', () => {
    const out = projectDeadLetters([decoded(deadLetterRecord('b-3', 2), 4)]);
    expect(out.rejected).toEqual([
      {
        batchId: 'b-3',
        seq: 2,
        eventId: 'E-b-3-2',
        reason: 'INVALID_DURATION',
        message: 'durationMs must be between 0 and 21600000 (6 h), got -1',
        payload: '{"eventId":"E-b-3-2","durationMs":-1}',
        receivedAt: 1_767_268_800_000,
      },
    ]);
    expect(out.batchEvents[0]).toMatchObject({
      decision: 'rejected',
      reason: 'INVALID_DURATION',
      recordedAt: 1_004,
    });
    expect(out.outcomes).toEqual([
      {
        v: 1,
        batchId: 'b-3',
        batchSize: 3,
        decisions: [{ seq: 2, decision: 'rejected', eventId: 'E-b-3-2', reason: 'INVALID_DURATION' }],
      },
    ]);
    expect(out.changes).toEqual([]);
  });

  it('stores the exact JSON text the machine sent, not a re-serialisation of it', () => {
    const payloadJson = '{ "eventId" : "E-b-4-0",\n  "durationMs": -1.0 }';
    const out = projectDeadLetters([decoded({ ...deadLetterRecord('b-4', 0), payloadJson }, 0)]);
    expect(out.rejected[0]?.payload).toBe(payloadJson);
  });
});
