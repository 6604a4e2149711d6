import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { FastifyInstance } from 'fastify';
import { readRecordedTopicIds, readSinkPositions } from './projection-log-guard.ts';

/**
 * `GET /internal/status`, read-only: what only the ClickHouse-owning process can see (the
 * embedded engine cannot be opened by a second process), for `shopfloor status`: the projector's
 * recorded positions (sink_offsets), the topic ids the projection was built from, the number
 * of dead letters in ClickHouse; and, from a dedupe process, the state entries per partition.
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

async function projectionStatus(reader: ClickHouseReader) {
  const [sink, topicIds, rejected] = await Promise.all([
    readSinkPositions(reader),
    readRecordedTopicIds(reader),
    reader.query('SELECT count() AS n FROM (SELECT 1 FROM rejected_events LIMIT 1 BY batch_id, seq)'),
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
    deadLetters: Number(rejected[0]?.n ?? 0),
  };
}
