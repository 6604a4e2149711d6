import { expect, test } from 'vitest';
import { cursorParam, keysetPage, pageCursor } from './keyset-page.ts';

const numberCursor = pageCursor<number>({
  toKey: (n) => [n],
  fromKey: ([n, ...rest]) => (rest.length === 0 && Number.isSafeInteger(n) ? (n as number) : null),
});

test('a cursor decodes to the position it was made from; anything else is null', () => {
  expect(numberCursor.decode(numberCursor.encode(42))).toBe(42);
  for (const text of [
    '',
    'not a cursor',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{').toString('base64url'),
  ])
    expect(numberCursor.decode(text)).toBeNull();
});

test('the cursor parameter answers the position or the given problem', () => {
  const param = cursorParam(numberCursor, 'not ours');
  expect(param.parse(numberCursor.encode(7))).toBe(7);
  const failed = param.safeParse('nope');
  expect(failed.success).toBe(false);
  expect(failed.error?.issues[0]?.message).toBe('not ours');
});

test('pages walk the rows newest first, with no cursor on the last page (even a full one)', async () => {
  const rows = [9, 8, 7, 6];
  const fetchAfter = (after: number | undefined) => async (limit: number) =>
    rows.filter((r) => after === undefined || r < after).slice(0, limit);
  const seen: number[][] = [];
  let after: number | undefined;
  for (;;) {
    const page = await keysetPage(fetchAfter(after), {
      limit: 2,
      cursor: numberCursor,
      positionOf: (r) => r,
    });
    seen.push(page.rows);
    if (page.nextCursor === null) break;
    after = numberCursor.decode(page.nextCursor) ?? undefined;
  }
  expect(seen).toEqual([
    [9, 8],
    [7, 6],
  ]);
});
