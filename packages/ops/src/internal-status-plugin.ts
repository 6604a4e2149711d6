import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { FastifyInstance } from 'fastify';
import { readRecordedTopicIds, readSinkPositions } from './projection-log-guard.ts';

/**
 * `GET /internal/status`, read-only: what only the ClickHouse-owning process can see (the
 * embedded engine cannot be opened by a second process), for `shopfloor status`: the projector's
 * recorded positions (sink_offsets, every stream's), the topic ids the projection was built from,
 * the number of dead letters in ClickHouse (`deadLetters`: the events stream's; `deadLettersByStream`:
 * events, sensors, metric-events); and, from a dedupe process, the state entries per partition.
 */
export interface InternalStatusOptions {
  /** The ClickHouse-owning process. */
  reader?: ClickHouseReader;
  /** A dedupe process: its local state stores and the partitions it is assigned. */
  state?: { stores: StateStoreFactory; assigned: () => number[] };
}

export async function internalStatusRoutes(app: FastifyInstance, options: InternalStatusOptions) {
  app.get('/internal/status', async () => ({
    ...(options.reader ? await projectionStatus(options.reader) : {}),
    ...(options.state
      ? {
          stateEntries: options.state.assigned().map((partition) => ({
            partition,
            entries: options.state!.stores.open(partition).count(),
            checkpoint: options.state!.stores.open(partition).checkpoint() ?? null,
          })),
        }
      : {}),
  }));
}

/** Each stream's dead letters in ClickHouse: one row per rejected or failed record (replays collapsed). */
const DEAD_LETTER_COUNTS = {
  events: 'SELECT count() AS n FROM (SELECT 1 FROM rejected_events LIMIT 1 BY batch_id, seq)',
  sensors: "SELECT count() AS n FROM sensor_batch_readings FINAL WHERE decision = 'rejected'",
  'metric-events': 'SELECT count() AS n FROM (SELECT 1 FROM metric_failed_events LIMIT 1 BY request_id, seq)',
} as const;

async function countDeadLetters(reader: ClickHouseReader): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const [stream, sql] of Object.entries(DEAD_LETTER_COUNTS))
    out[stream] = await reader.query(sql).then(
      (rows) => Number(rows[0]?.n ?? 0),
      () => null, // a table this deployment's migrations have not made
    );
  return out;
}

async function projectionStatus(reader: ClickHouseReader) {
  const [sink, topicIds, deadLettersByStream] = await Promise.all([
    readSinkPositions(reader),
    readRecordedTopicIds(reader),
    countDeadLetters(reader),
  ]);
  return {
    clickhouse: { mode: reader.mode, reachable: true },
    sinkOffsets: sink.map((s) => ({
      topic: s.topic,
      partition: s.partition,
      minOffset: s.minOffset.toString(),
      maxOffset: s.maxOffset.toString(),
      updatedAt: new Date(s.updatedAt).toISOString(),
    })),
    logIdentity: Object.fromEntries(topicIds),
    deadLetters: deadLettersByStream.events ?? 0,
    deadLettersByStream,
  };
}
