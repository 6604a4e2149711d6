import { sampleEvent } from '@shopfloor/contracts/testing';
import { describe, expect, test } from 'vitest';
import { intakeBatch } from './batch-intake.ts';

const AT = Date.parse('2026-03-01T10:00:00Z');
const event = sampleEvent;

describe('intakeBatch', () => {
  test('splits a batch into raw records and dead letters, each with its position and one receive time', () => {
    const bad = event('e-2', { durationMs: -5 });
    const batch = intakeBatch('b-1', [event('e-1'), bad, 'not an event', event('e-3')], AT);
    expect(batch.raw.map((r) => [r.event.eventId, r.seq, r.batchSize, r.receivedAt])).toEqual([
      ['e-1', 0, 4, AT],
      ['e-3', 3, 4, AT],
    ]);
    expect(batch.rejected.map((d) => [d.eventId, d.seq, d.reason, d.receivedAt])).toEqual([
      ['e-2', 1, 'INVALID_DURATION', AT],
      [null, 2, 'NOT_AN_OBJECT', AT],
    ]);
    expect(batch.rejected[0]?.payload).toBe(bad);
    expect(batch).toMatchObject({ batchId: 'b-1', receivedAt: AT });
  });

  test("a machine key's scope: an event of another factory is dead-lettered OUT_OF_SCOPE, the rest goes on", () => {
    const mayWrite = (factoryId: string) => factoryId === 'F-1';
    const other = event('e-2', { factoryId: 'F-2' });
    const batch = intakeBatch(
      'b-s',
      [event('e-1', { factoryId: 'F-1' }), other, event('e-3', { factoryId: 'F-1', durationMs: -1 })],
      AT,
      undefined,
      mayWrite,
    );
    expect(batch.raw.map((r) => r.event.eventId)).toEqual(['e-1']);
    expect(batch.rejected.map((d) => [d.eventId, d.seq, d.reason])).toEqual([
      ['e-2', 1, 'OUT_OF_SCOPE'],
      // Validation comes first: an invalid event keeps its own reason.
      ['e-3', 2, 'INVALID_DURATION'],
    ]);
    expect(batch.rejected[0]?.message).toMatch(/"F-2" is outside/);
    expect(batch.rejected[0]?.payload).toBe(other);
    // Without a scope (auth off) every factory is accepted.
    expect(intakeBatch('b-t', [other], AT).raw).toHaveLength(1);
  });

  test('ignores a client receivedTime: the gateway stamps receivedAt', () => {
    const batch = intakeBatch('b-2', [event('e-1', { receivedTime: '2020-01-01T00:00:00Z' })], AT);
    expect(batch.raw[0]?.receivedAt).toBe(AT);
  });

  test('judges future event times against the receive time', () => {
    const future = new Date(AT + 16 * 60_000).toISOString();
    const batch = intakeBatch('b-3', [event('e-1', { eventTime: future })], AT);
    expect(batch.rejected.map((d) => d.reason)).toEqual(['FUTURE_EVENT_TIME']);
  });

  test('an empty batch has nothing to publish', () => {
    expect(intakeBatch('b-4', [], AT)).toEqual({ batchId: 'b-4', receivedAt: AT, raw: [], rejected: [] });
  });
});

describe('intakeBatch with the request body text', () => {
  test('a dead letter keeps the exact text of its element; accepted events are unaffected', () => {
    const good = JSON.stringify(event('e-1'));
    const bad = `{ "durationMs":-1.0E1 ,"eventId":"e-2","eventTime":"2026-03-01T10:00:00Z","machineId":"M","lineId":"L","factoryId":"F","defectCount":0\n}`;
    const text = `\uFEFF [${good},\r\n ${bad} , 1.50 ]`;
    const events = JSON.parse(text.slice(1)) as unknown[];
    const batch = intakeBatch('b-5', events, AT, text);
    expect(batch.raw.map((r) => r.event.eventId)).toEqual(['e-1']);
    expect(batch.rejected.map((d) => [d.reason, d.payloadJson])).toEqual([
      ['INVALID_DURATION', bad],
      ['NOT_AN_OBJECT', '1.50'],
    ]);
    expect(batch.rejected[1]?.payload).toBe(1.5);
  });

  test('without the text, or with a text that is not this array, the parsed value is serialized again', () => {
    const events = [event('e-1', { durationMs: -1 })];
    const serialized = JSON.stringify(events[0]);
    expect(intakeBatch('b-6', events, AT).rejected[0]?.payloadJson).toBe(serialized);
    expect(intakeBatch('b-7', events, AT, '[1, 2]').rejected[0]?.payloadJson).toBe(serialized);
  });
});
