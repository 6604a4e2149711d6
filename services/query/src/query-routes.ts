import {
  type ClickHouseReader,
  queryMachineFactories,
  queryMachineStats,
  queryRecordedBatch,
  queryRejectedEvents,
  queryTopDefectLines,
} from '@shopfloor/clickhouse';
import {
  batchStatus,
  batchStatusResponseSchema,
  deadLetterResponseSchema,
  errorResponseSchema,
  machineStats,
  machineStatsResponseSchema,
  topDefectLine,
  topDefectLineSchema,
} from '@shopfloor/contracts';
import { HttpError, type HttpRoutes, requireFactory, requireMachine } from '@shopfloor/http-kit';
import { z } from 'zod';
import {
  batchParamsSchema,
  deadLettersQuerySchema,
  statsQuerySchema,
  topLinesQuerySchema,
} from './query-params.ts';

export interface QueryOptions {
  reader: ClickHouseReader;
}

/** Wraps a ClickHouse call: a store that cannot answer is a 503 (with its Retry-After), not a 500. */
export async function fromStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError('CLICKHOUSE_UNAVAILABLE', `The statistics store failed: ${(err as Error).message}`);
  }
}

const errors = { 400: errorResponseSchema, 503: errorResponseSchema };

/** The statistics API and the batch status, over a ClickHouse Reader (never a Writer). */
export const queryRoutes: HttpRoutes<QueryOptions> = async (app, { reader }) => {
  app.get(
    '/stats',
    {
      config: { access: 'read-stats' },
      schema: { querystring: statsQuerySchema, response: { 200: machineStatsResponseSchema, ...errors } },
    },
    async (request) => {
      const q = request.query;
      await requireMachine(request, q.machineId, (m) => fromStore(() => queryMachineFactories(reader, m)));
      const counts = await fromStore(() => queryMachineStats(reader, q));
      return machineStats({ ...q, ...counts });
    },
  );

  app.get(
    '/stats/top-defect-lines',
    {
      config: { access: 'read-stats' },
      schema: {
        querystring: topLinesQuerySchema,
        response: { 200: z.array(topDefectLineSchema), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      requireFactory(request, q.factoryId);
      const lines = await fromStore(() =>
        queryTopDefectLines(reader, {
          factoryId: q.factoryId,
          fromMs: q.startMs,
          toMs: q.endMs,
          limit: q.limit,
        }),
      );
      return lines.map((l) => topDefectLine(l.lineId, l.totalDefects, l.eventCount));
    },
  );

  app.get(
    '/events/batch/:batchId',
    {
      config: { access: 'read-stats' },
      schema: { params: batchParamsSchema, response: { 200: batchStatusResponseSchema, ...errors } },
    },
    async (request) => {
      const recorded = await fromStore(() => queryRecordedBatch(reader, request.params.batchId));
      return batchStatus(recorded);
    },
  );

  app.get(
    '/dead-letters',
    {
      config: { access: 'operate' },
      schema: {
        querystring: deadLettersQuerySchema,
        response: { 200: z.array(deadLetterResponseSchema), ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await fromStore(() =>
        queryRejectedEvents(reader, { limit: q.limit ?? 100, batchId: q.batchId }),
      );
      return rows.map((r) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() }));
    },
  );
};
