import {
  type ClickHouseReader,
  type ClientWindowPageQuery,
  type ListedMetricEvent,
  type MetricFailedEventRow,
  queryMetricEventsPage,
  queryMetricFailedPage,
  queryMetricTotals,
} from '@shopfloor/clickhouse';
import { errorResponseSchema, formatInstant } from '@shopfloor/contracts';
import { HttpError, type HttpRoutes, keysetPage, type PageCursor } from '@shopfloor/http-kit';
import {
  aggregatesSchema,
  failedEventSchema,
  pageSchema,
  processedEventSchema,
} from './metric-http-schemas.ts';
import {
  aggregatesQuerySchema,
  failedCursor,
  pageQuerySchema,
  processedCursor,
} from './metric-query-params.ts';

export interface MetricQueryOptions {
  reader: ClickHouseReader;
}

const errors = { 400: errorResponseSchema, 503: errorResponseSchema };
const DEFAULT_LIMIT = 100;

async function fromStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new HttpError('CLICKHOUSE_UNAVAILABLE', `The statistics store failed: ${(err as Error).message}`);
  }
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A listing's query string as its schema gives it. */
type ListingQuery<Position> = {
  client_id?: string | undefined;
  from?: { ms: number } | undefined;
  to?: { ms: number } | undefined;
  limit?: number | undefined;
  cursor?: Position | undefined;
};

/** One page of a newest-first listing: its rows as `events`, and the cursor of the next page. */
async function eventsPage<Row extends Position, Position, Answer>(
  q: ListingQuery<Position>,
  cursor: PageCursor<Position>,
  fetch: (page: ClientWindowPageQuery<Position>) => Promise<Row[]>,
  answer: (row: Row) => Answer,
): Promise<{ events: Answer[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await keysetPage(
    (limit) =>
      fromStore(() =>
        fetch({ clientId: q.client_id, fromMs: q.from?.ms, toMs: q.to?.ms, after: q.cursor, limit }),
      ),
    { limit: q.limit ?? DEFAULT_LIMIT, cursor, positionOf: (row) => row },
  );
  return { events: rows.map(answer), nextCursor };
}

const processedAnswer = (r: ListedMetricEvent) => ({
  id: r.id,
  client_id: r.clientId,
  source: r.source,
  payload: { metric: r.metric, amount: r.amount, timestamp: formatInstant(r.timestampMs) },
  receivedAt: formatInstant(r.receivedAt),
});

const failedAnswer = (r: MetricFailedEventRow) => ({
  id: r.id,
  client_id: r.clientId,
  reason: r.reason,
  message: r.message,
  payload: parsePayload(r.payloadJson),
  receivedAt: formatInstant(r.receivedAt),
});

const totalsOf = (t: { count: number; totalAmount: bigint }) => ({
  count: t.count,
  totalAmount: Number(t.totalAmount),
  totalAmountExact: t.totalAmount.toString(),
});

/** GET /events/processed, GET /events/failed (newest first, cursor pages) and GET /aggregates. */
export const metricQueryRoutes: HttpRoutes<MetricQueryOptions> = async (app, { reader }) => {
  app.get(
    '/events/processed',
    {
      config: { access: 'read-stats' },
      schema: {
        description:
          'Counted metric events, newest timestamp first. Filters: client_id, from/to ([from, to) on the event timestamp). `nextCursor` fetches the next page (null on the last).',
        querystring: pageQuerySchema(processedCursor),
        response: { 200: pageSchema(processedEventSchema), ...errors },
      },
    },
    async (request) =>
      eventsPage(
        request.query,
        processedCursor,
        (page) => queryMetricEventsPage(reader, page),
        processedAnswer,
      ),
  );

  app.get(
    '/events/failed',
    {
      config: { access: 'read-stats' },
      schema: {
        description:
          'Failed metric events (rejected with a reason code, or failed in processing such as SIMULATED_FAILURE), newest received first. Filters: client_id, from/to ([from, to) on the receive time).',
        querystring: pageQuerySchema(failedCursor),
        response: { 200: pageSchema(failedEventSchema), ...errors },
      },
    },
    async (request) =>
      eventsPage(request.query, failedCursor, (page) => queryMetricFailedPage(reader, page), failedAnswer),
  );

  app.get(
    '/aggregates',
    {
      config: { access: 'read-stats' },
      schema: {
        description:
          'Count and total amount of one client over [from, to), exact to the millisecond, from the minute rollups plus the partial edge minutes. `by=metric` adds one entry per metric.',
        querystring: aggregatesQuerySchema,
        response: { 200: aggregatesSchema, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const window = { clientId: q.client_id, fromMs: q.from.ms, toMs: q.to.ms };
      const [total] = await fromStore(() => queryMetricTotals(reader, { ...window, byMetric: false }));
      const perMetric =
        q.by === 'metric'
          ? await fromStore(() => queryMetricTotals(reader, { ...window, byMetric: true }))
          : undefined;
      return {
        client_id: q.client_id,
        from: q.from.text,
        to: q.to.text,
        ...totalsOf(total ?? { count: 0, totalAmount: 0n }),
        ...(perMetric ? { metrics: perMetric.map((m) => ({ metric: m.metric ?? '', ...totalsOf(m) })) } : {}),
      };
    },
  );
};
