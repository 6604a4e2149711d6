import {
  queryBatchOutcome,
  queryMachineStats,
  queryRejectedEvents,
  queryTopDefectLines,
  type ClickHouseReader,
} from '@shopfloor/clickhouse';
import { machineStats, topDefectLine } from '@shopfloor/contracts';
import { HttpError } from '@shopfloor/http-kit';
import type { FastifyInstance } from 'fastify';
import { deadLettersQuerySchema, parseQuery, statsQuerySchema, topLinesQuerySchema } from './query-params.ts';

export interface QueryOptions {
  reader: ClickHouseReader;
}

/** Wraps a ClickHouse call: a store that cannot answer is a 503, not a 500. */
async function fromStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(
      'CLICKHOUSE_UNAVAILABLE',
      `The statistics store failed: ${(err as Error).message}`,
      2,
    );
  }
}

export async function queryRoutes(app: FastifyInstance, { reader }: QueryOptions): Promise<void> {
  app.get('/stats', async (request) => {
    const raw = request.query as Record<string, string>;
    const q = parseQuery(statsQuerySchema, raw);
    const counts = await fromStore(() => queryMachineStats(reader, q));
    return machineStats({ ...q, start: raw.start!, end: raw.end!, ...counts });
  });

  app.get('/stats/top-defect-lines', async (request) => {
    const q = parseQuery(topLinesQuerySchema, request.query);
    const lines = await fromStore(() =>
      queryTopDefectLines(reader, {
        factoryId: q.factoryId,
        fromMs: q.startMs,
        toMs: q.endMs,
        limit: q.limit,
      }),
    );
    return lines.map((l) => topDefectLine(l.lineId, l.totalDefects, l.eventCount));
  });

  app.get('/events/batch/:batchId', async (request) => {
    const { batchId } = request.params as { batchId: string };
    const o = await fromStore(() => queryBatchOutcome(reader, batchId));
    return {
      batchId,
      status: o.complete ? 'complete' : 'pending',
      events: o.batchSize,
      recorded: o.recorded,
      accepted: o.counts.accepted,
      deduped: o.counts.deduped + o.counts.stale,
      updated: o.counts.updated,
      rejected: o.counts.rejected,
      rejections: o.rejections.map((r) => ({ eventId: r.eventId, reason: r.reason })),
    };
  });

  app.get('/dead-letters', async (request) => {
    const q = parseQuery(deadLettersQuerySchema, request.query);
    const rows = await fromStore(() =>
      queryRejectedEvents(reader, { limit: q.limit ?? 100, batchId: q.batchId }),
    );
    return rows.map((r) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() }));
  });
}
