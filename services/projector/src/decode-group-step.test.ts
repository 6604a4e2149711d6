import type { BadRecordPolicy } from '@shopfloor/group-projector';
import { CHANGES, DLQ, group, message, range } from '@shopfloor/group-projector/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  changeBatchMessage,
  changeMessage,
  changeRecord,
  codecs,
  deadLetterMessage,
  deadLetterRecord,
} from '../test/records.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';

const log = pino({ level: 'silent' });
const decodeWith = (badRecordPolicy: BadRecordPolicy) =>
  createDecodeGroupStep({ codecs, topics: { changes: CHANGES, deadLetter: DLQ }, badRecordPolicy, log });

const mixed = () =>
  group(
    7,
    range(DLQ, 0, 4, 4, [deadLetterMessage(4, deadLetterRecord('b-9', 0))]),
    range(CHANGES, 1, 2, 3, [
      changeMessage(2, changeRecord('b-2', 0)),
      changeMessage(3, changeRecord('b-2', 1)),
    ]),
    range(CHANGES, 0, 8, 8, [changeMessage(8, changeRecord('b-1', 0))]),
  );

describe('decodeGroup', () => {
  it('expands a change batch record into its changes, in order, each with the offset and time of the record', async () => {
    const batch = [changeRecord('b-3', 0), changeRecord('b-3', 2), changeRecord('b-3', 1)];
    const result = await decodeWith('stop')(
      group(
        8,
        range(CHANGES, 0, 5, 6, [
          changeBatchMessage(5, batch),
          changeBatchMessage(6, []),
          changeBatchMessage(7, [changeRecord('b-4', 0)]),
        ]),
      ),
    );
    if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
    expect(result.value.changes.map((r) => [r.value.batchId, r.value.seq, r.offset, r.timestamp])).toEqual([
      ['b-3', 0, '5', 1_700_000_000_005],
      ['b-3', 2, '5', 1_700_000_000_005],
      ['b-3', 1, '5', 1_700_000_000_005],
      ['b-4', 0, '7', 1_700_000_000_007],
    ]);
  });

  it('decodes every record through the topic codecs, by partition key then offset', async () => {
    const result = await decodeWith('stop')(mixed());
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.value.changes.map((r) => [r.value.batchId, r.value.seq, r.offset])).toEqual([
      ['b-1', 0, '8'],
      ['b-2', 0, '2'],
      ['b-2', 1, '3'],
    ]);
    expect(result.value.changes[0]?.timestamp).toBe(1_700_000_000_008);
    expect(result.value.deadLetters.map((r) => r.value)).toEqual([deadLetterRecord('b-9', 0)]);
    expect(result.value.invalid).toEqual([]);
  });

  const withBadRecords = () => {
    const g = mixed();
    g.ranges.get(`${CHANGES}:1`)!.messages.splice(1, 1, message(3, Buffer.from('{"v":1,')));
    g.ranges.get(`${DLQ}:0`)!.messages.splice(0, 1, message(4, null));
    return g;
  };

  it('dead-letter: parks each undecodable record with where it was read, and decodes the rest', async () => {
    const result = await decodeWith('dead-letter')(withBadRecords());
    if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}`);
    expect(result.value.changes.map((r) => r.offset)).toEqual(['8', '2']);
    expect(result.value.deadLetters).toEqual([]);
    expect(
      result.value.invalid.map(({ key, record }) => [
        String(key),
        record.topic,
        record.partition,
        record.offset,
      ]),
    ).toEqual([
      ['k3', CHANGES, 1, '3'],
      ['k4', DLQ, 0, '4'],
    ]);
    expect(result.value.invalid[0]?.record.value?.toString()).toBe('{"v":1,');
    expect(result.value.invalid[1]?.record.value).toBeNull();
    expect(result.value.invalid.every((i) => i.record.error.length > 0)).toBe(true);
  });

  it('stop: the group goes no further (dlq), naming the first bad record', async () => {
    const result = await decodeWith('stop')(withBadRecords());
    expect(result.kind).toBe('dlq');
    if (result.kind === 'dlq')
      expect(result.reason).toMatch(/^undecodable record at events\.changes\[1\]@3: /);
  });
});
