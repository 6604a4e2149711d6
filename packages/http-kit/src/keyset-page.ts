import { z } from 'zod';

// Keyset pagination, newest first: a page ends at the sort key of its last row, and the next page
// starts after it. Stable while rows arrive, and no OFFSET scan.

/** A page cursor: base64url of a JSON array holding a position, opaque to clients. */
export interface PageCursor<Position> {
  encode(position: Position): string;
  /** The position, or null when the text is not a cursor `encode` made. */
  decode(cursor: string): Position | null;
}

/** A cursor whose JSON array is `toKey(position)`; `fromKey` checks the array's shape back. */
export function pageCursor<Position>(key: {
  toKey(position: Position): readonly unknown[];
  fromKey(key: readonly unknown[]): Position | null;
}): PageCursor<Position> {
  return {
    encode: (position) => Buffer.from(JSON.stringify(key.toKey(position))).toString('base64url'),
    decode(cursor) {
      if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      return Array.isArray(parsed) ? key.fromKey(parsed) : null;
    },
  };
}

/** The `cursor` query parameter: its position, or one schema problem saying `message`. */
export const cursorParam = <Position>(cursor: PageCursor<Position>, message: string) =>
  z.string().transform((text, ctx) => {
    const position = cursor.decode(text);
    if (position === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return position;
  });

/**
 * One page of at most `limit` rows. `fetch` is asked for one row more, which tells whether a next
 * page exists without a count query: `nextCursor` is null on the last page.
 */
export async function keysetPage<Row, Position>(
  fetch: (limit: number) => Promise<Row[]>,
  page: { limit: number; cursor: PageCursor<Position>; positionOf: (row: Row) => Position },
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const fetched = await fetch(page.limit + 1);
  const rows = fetched.slice(0, page.limit);
  const last = rows.at(-1);
  return {
    rows,
    nextCursor: fetched.length > page.limit && last ? page.cursor.encode(page.positionOf(last)) : null,
  };
}
