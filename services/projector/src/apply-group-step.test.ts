import type { OutcomeRecord } from '@shopfloor/contracts';
import { type BadRecordPolicy, createRetryWithHeartbeat } from '@shopfloor/group-projector';
import { CHANGES, DLQ, fakeWriter, group, message, range } from '@shopfloor/group-projector/testing';
import type { OutgoingMessage } from '@shopfloor/kafka';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { changeMessage, changeRecord, codecs, deadLetterMessage, deadLetterRecord } from '../test/records.ts';
import { createApplyGroupStep } from './apply-group-step.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';

const log = pino({ level: 'silent' });
const topics = { changes: CHANGES, deadLetter: DLQ, outcomes: 'events.outcomes', invalid: 'events.invalid' };

function harness(badRecordPolicy: BadRecordPolicy = 'dead-letter') {
  const ch = fakeWriter();
  const calls: string[] = [];
  const published: { topic: string; messages: OutgoingMessage[] }[] = [];
  const committed: unknown[] = [];
  const seen: OutcomeRecord[] = [];
  let heartbeats = 0;
  const applyGroup = createApplyGroupStep({
    writer: {
      ...ch.writer,
      insert: async (request) => {
        calls.push(`insert ${request.table}`);
        await ch.writer.insert(request);
      },
    },
    decodeGroup: createDecodeGroupStep({ codecs, topics, badRecordPolicy, log }),
    codecs,
    topics,
    publish: async (topicMessages) => {
      calls.push('publish');
      published.push(...topicMessages);
    },
    commitOffsets: async (offsets) => {
      calls.push('commit');
      committed.push(...offsets);
    },
    retry: createRetryWithHeartbeat(log, { retries: 3, sleep: async () => {} }),
    log,
    onOutcomes: (outcomes) => {
      calls.push('onOutcomes');
      seen.push(...outcomes);
    },
  });
  const heartbeat = async () => {
    heartbeats++;
  };
  return { ch, calls, published, committed, seen, applyGroup, heartbeat, heartbeats: () => heartbeats };
}

const sample = () =>
  group(
    1_234,
    range(CHANGES, 0, 5, 6, [
      changeMessage(5, changeRecord('b-1', 0)),
      changeMessage(6, changeRecord('b-1', 1)),
    ]),
    range(DLQ, 0, 2, 2, [deadLetterMessage(2, deadLetterRecord('b-1', 2))]),
  );
const TOKEN = 'g1234|events.changes:0:5-6,events.dlq:0:2-2';

describe('applyGroup', () => {
  it('inserts into each table with its token, then publishes the outcomes, then commits', async () => {
    const h = harness();
    const result = await h.applyGroup({ group: sample(), heartbeat: h.heartbeat });
    // One outcome record per batch and topic: the gateway merges them by (batchId, seq).
    expect(result).toEqual({
      kind: 'ok',
      value: { changeRows: 2, outcomes: 2, invalidRecords: 0, records: 3 },
    });
    expect(h.calls).toEqual([
      'insert event_changes',
      'insert rejected_events',
      'insert batch_events',
      'onOutcomes',
      'publish',
      'commit',
    ]);
    expect(h.ch.inserts.map((i) => [i.table, i.token, i.values.length])).toEqual([
      ['event_changes', `${TOKEN}:changes`, 2],
      ['rejected_events', `${TOKEN}:rejected`, 1],
      ['batch_events', `${TOKEN}:batches`, 3],
    ]);
    expect(h.committed).toEqual([
      { topic: CHANGES, partition: 0, offset: '7' },
      { topic: DLQ, partition: 0, offset: '3' },
    ]);
    expect(h.seen.map((o) => o.decisions.map((d) => d.decision))).toEqual([
      ['accepted', 'accepted'],
      ['rejected'],
    ]);
    expect(h.published.map((t) => t.topic)).toEqual(['events.outcomes']);
    const outcomes = await Promise.all(
      h.published[0]!.messages.map((m) => codecs.outcomes.decode(m.value as Buffer)),
    );
    expect(outcomes).toEqual(h.seen.map((value) => ({ ok: true, value })));
  });

  it('applied again, sends the very same tokens (ClickHouse drops the copies)', async () => {
    const h = harness();
    await h.applyGroup({ group: sample(), heartbeat: h.heartbeat });
    await h.applyGroup({ group: sample(), heartbeat: h.heartbeat });
    const tokens = h.ch.inserts.map((i) => i.token);
    expect(tokens.slice(3)).toEqual(tokens.slice(0, 3));
  });

  it('retries a failed write and heartbeats before every retry', async () => {
    const h = harness();
    h.ch.failNext('event_changes', 2);
    const result = await h.applyGroup({ group: sample(), heartbeat: h.heartbeat });
    expect(result.kind).toBe('ok');
    expect(h.calls.filter((c) => c === 'insert event_changes')).toHaveLength(3);
    // 2 before the retries, then 1 after each of the 5 writes.
    expect(h.heartbeats()).toBe(7);
  });

  it('goes on when a heartbeat fails (a rebalance began)', async () => {
    const h = harness();
    h.ch.failNext('batch_events', 1);
    const result = await h.applyGroup({
      group: sample(),
      heartbeat: async () => {
        throw new Error('The group is rebalancing');
      },
    });
    expect(result.kind).toBe('ok');
    expect(h.calls.at(-1)).toBe('commit');
  });

  it('throws once the retries are spent, before committing', async () => {
    const h = harness();
    h.ch.failNext('rejected_events', 10);
    await expect(h.applyGroup({ group: sample(), heartbeat: h.heartbeat })).rejects.toThrow(
      'insert into rejected_events failed',
    );
    expect(h.calls).not.toContain('commit');
  });

  it('parks undecodable records on the invalid topic (policy dead-letter) with the outcomes', async () => {
    const h = harness('dead-letter');
    const g = sample();
    g.ranges.get(`${CHANGES}:0`)!.messages.splice(1, 1, message(6, Buffer.from('garbage')));
    const result = await h.applyGroup({ group: g, heartbeat: h.heartbeat });
    expect(result).toEqual({
      kind: 'ok',
      value: { changeRows: 1, outcomes: 2, invalidRecords: 1, records: 3 },
    });
    expect(h.published.map((t) => [t.topic, t.messages.length])).toEqual([
      ['events.outcomes', 2],
      ['events.invalid', 1],
    ]);
    const parked = await codecs.invalid.decode(h.published[1]!.messages[0]!.value as Buffer);
    expect(parked.ok && [parked.value.topic, parked.value.offset, parked.value.value?.toString()]).toEqual([
      CHANGES,
      '6',
      'garbage',
    ]);
    expect(h.committed).toHaveLength(2);
  });

  it('writes nothing for a group with an undecodable record under the policy stop', async () => {
    const h = harness('stop');
    const g = sample();
    g.ranges.get(`${DLQ}:0`)!.messages.splice(0, 1, message(2, Buffer.from('[]')));
    const result = await h.applyGroup({ group: g, heartbeat: h.heartbeat });
    expect(result.kind).toBe('dlq');
    expect(h.calls).toEqual([]);
  });
});
