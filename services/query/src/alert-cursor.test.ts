import { expect, test } from 'vitest';
import { alertCursor } from './alert-cursor.ts';

test('a cursor decodes to the position it was made from, ids of any Unicode included', () => {
  for (const position of [
    { raisedAtMs: 0, alertId: 'a' },
    { raisedAtMs: 1_772_359_200_123, alertId: 'älärm/😀 "x"' },
  ]) {
    const cursor = alertCursor.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(alertCursor.decode(cursor)).toEqual(position);
  }
});

test.each([
  ['', 'empty'],
  ['not a cursor', 'not base64url'],
  [Buffer.from('{"raisedAtMs":1}').toString('base64url'), 'not the array form'],
  [Buffer.from('[2,1,"a"]').toString('base64url'), 'another version'],
  [Buffer.from('[1,1.5,"a"]').toString('base64url'), 'a fractional time'],
  [Buffer.from('[1,-1,"a"]').toString('base64url'), 'a negative time'],
  [Buffer.from('[1,1,""]').toString('base64url'), 'an empty id'],
  [Buffer.from('[1,1,"a"').toString('base64url'), 'truncated JSON'],
])('%j is not a cursor (%s)', (cursor) => {
  expect(alertCursor.decode(cursor)).toBeNull();
});
