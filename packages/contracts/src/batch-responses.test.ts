import { describe, expect, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import { BATCH_ITEM_KINDS } from './batch.ts';
import {
  type BatchStatusResponse,
  batchStatus,
  batchStatusResponseSchema,
  type RecordedBatch,
} from './batch-responses.ts';

const counts = (c: Partial<RecordedBatch['counts']> = {}): RecordedBatch['counts'] => ({
  accepted: 0,
  deduped: 0,
  updated: 0,
  stale: 0,
  rejected: 0,
  ...c,
});

describe('batchStatus', () => {
  test('counts as the POST answer does (stale as deduped) and is complete once every event is recorded', () => {
    const status = batchStatus({
      batchId: 'b-1',
      batchSize: 5,
      recorded: 5,
      counts: counts({ accepted: 1, deduped: 1, stale: 1, updated: 1, rejected: 1 }),
      rejections: [{ seq: 3, eventId: 'e-4', reason: 'INVALID_DURATION' }],
    });
    expect(status).toEqual({
      batchId: 'b-1',
      status: 'complete',
      events: 5,
      recorded: 5,
      accepted: 1,
      deduped: 2,
      updated: 1,
      rejected: 1,
      rejections: [{ eventId: 'e-4', reason: 'INVALID_DURATION' }],
    });
    expect(batchStatusResponseSchema.parse(status)).toEqual(status);
  });

  test('pending while some events have no outcome, and when nothing is recorded', () => {
    const partial = {
      batchId: 'b-2',
      batchSize: 3,
      recorded: 2,
      counts: counts({ accepted: 2 }),
      rejections: [],
    };
    expect(batchStatus(partial).status).toBe('pending');
    expect(batchStatus({ ...partial, batchSize: null, recorded: 0, counts: counts() })).toMatchObject({
      status: 'pending',
      events: null,
    });
  });

  test('the schema and the type agree; every item kind is counted', () => {
    expectTypeOf<z.output<typeof batchStatusResponseSchema>>().toEqualTypeOf<BatchStatusResponse>();
    expect(BATCH_ITEM_KINDS).toEqual(['accepted', 'deduped', 'updated', 'stale', 'rejected']);
  });
});
