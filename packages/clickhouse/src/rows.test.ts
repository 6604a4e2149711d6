import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClickHouseWriter, InsertRequest } from './client-types.ts';
import { tableInserter } from './rows.ts';

// The insert requests a table inserter hands its writer (the statement itself is the integration
// tests' business: test/schema.integration.test.ts).
function recordingWriter() {
  const requests: InsertRequest[] = [];
  const writer = {
    insert: async (request: InsertRequest) => {
      requests.push(request);
    },
  } as unknown as ClickHouseWriter;
  return { writer, requests };
}

const insertThings = tableInserter({
  table: 'things',
  columns: ['id', 'size', 'reason'],
  schema: z.object({ id: z.string().min(1), size: z.int().min(0), reason: z.string().default('') }),
  toValues: (r) => [r.id, r.size, r.reason],
});

describe('tableInserter', () => {
  it('checks every row first: the first bad one fails the insert and nothing is sent', async () => {
    const { writer, requests } = recordingWriter();
    await expect(
      insertThings(
        writer,
        [
          { id: 'a', size: 1 },
          { id: '', size: 2 },
        ],
        { dedupToken: 't' },
      ),
    ).rejects.toMatchObject({
      code: 'CLICKHOUSE_INVALID_ROW',
      message: expect.stringContaining('things row 1: id'),
    });
    expect(requests).toEqual([]);
  });

  it('inserts the checked rows (defaults applied) once, with the token in the insert and its views', async () => {
    const { writer, requests } = recordingWriter();
    await insertThings(writer, [{ id: 'a', size: 1 }], { dedupToken: 't' });
    expect(requests).toEqual([
      {
        table: 'things',
        columns: ['id', 'size', 'reason'],
        format: 'JSONCompactEachRow',
        values: [['a', 1, '']],
        settings: {
          insert_deduplicate: 1,
          insert_deduplication_token: 't',
          deduplicate_blocks_in_dependent_materialized_views: 1,
        },
      },
    ]);
  });

  it('with validate: false takes the rows as given, unchecked (rows built whole from decoded records)', async () => {
    const { writer, requests } = recordingWriter();
    await insertThings(writer, [{ id: 'b', size: 2, reason: 'r' }], { validate: false });
    expect(requests.map((r) => r.values)).toEqual([[['b', 2, 'r']]]);
    // Nothing is checked, so nothing is defaulted either: the caller gives every field.
    await insertThings(writer, [{ id: '', size: -1 }], { validate: false });
    expect(requests[1]?.values).toEqual([['', -1, undefined]]);
  });

  it('sends nothing for no rows', async () => {
    const { writer, requests } = recordingWriter();
    await insertThings(writer, [], { dedupToken: 't' });
    await insertThings(writer, [], { validate: false });
    expect(requests).toEqual([]);
  });
});
