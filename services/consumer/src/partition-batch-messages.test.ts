import { readFileSync } from 'node:fs';
import { type ChangeRecord, type StateRecord, winnerOf } from '@shopfloor/contracts';
import { jsonCodecs } from '@shopfloor/kafka';
import { describe, expect, it } from 'vitest';
import { encodePartitionBatch } from './partition-batch-messages.ts';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../../packages/contracts/fixtures/${name}`, import.meta.url), 'utf8'));
const state = fixture<StateRecord>('state-record.v1.json');
const change = fixture<ChangeRecord>('change-record.updated.v1.json');
const codecs = jsonCodecs();
const topics = { state: 'events.state', changes: 'events.change-batches', invalid: 'events.invalid' };

describe('encodePartitionBatch', () => {
  it('writes state and ONE change batch record to the batch partition through the codecs, a delete as a tombstone', async () => {
    const out = encodePartitionBatch(codecs, topics, {
      partition: 3,
      stateWrites: [
        ['E-1', winnerOf(state)],
        ['E-9', null],
      ],
      changes: [change, { ...change, seq: 1 }],
      invalid: [],
    });
    expect(out.map((t) => t.topic)).toEqual(['events.state', 'events.change-batches']);
    const [stateOut, changesOut] = out;
    expect(stateOut!.messages.map((m) => [m.key, m.partition])).toEqual([
      ['E-1', 3],
      ['E-9', 3],
    ]);
    expect(await codecs.state.decode(stateOut!.messages[0]!.value as Buffer)).toEqual({
      ok: true,
      value: state,
    });
    expect(stateOut!.messages[1]!.value).toBeNull();
    expect(changesOut!.messages).toHaveLength(1);
    expect(changesOut!.messages[0]).toMatchObject({ key: null, partition: 3 });
    expect(await codecs.changes.decode(changesOut!.messages[0]!.value as Buffer)).toEqual({
      ok: true,
      value: { v: 1, changes: [change, { ...change, seq: 1 }] },
    });
  });

  it('parks undecodable records under their own key on the invalid topic', async () => {
    const record = {
      v: 1 as const,
      topic: 'events.raw',
      partition: 3,
      offset: '42',
      error: 'value is not valid JSON',
      value: Buffer.from('{'),
    };
    const out = encodePartitionBatch(codecs, topics, {
      partition: 3,
      stateWrites: [],
      changes: [],
      invalid: [{ key: Buffer.from('E-7'), record }],
    });
    expect(out.map((t) => t.topic)).toEqual(['events.invalid']);
    const message = out[0]!.messages[0]!;
    expect(message.key).toEqual(Buffer.from('E-7'));
    expect(await codecs.invalid.decode(message.value as Buffer)).toEqual({ ok: true, value: record });
  });

  it('writes nothing for an empty batch', () => {
    expect(
      encodePartitionBatch(codecs, topics, { partition: 0, stateWrites: [], changes: [], invalid: [] }),
    ).toEqual([]);
  });
});
