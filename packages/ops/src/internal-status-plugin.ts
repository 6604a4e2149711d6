import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { FastifyInstance } from 'fastify';
import { readRecordedTopicIds, readSinkPositions } from './projection-log-guard.ts';

/**
 * `GET /internal/status`, read-only: what only the ClickHouse-owning process can see (the
 * embedded engine cannot be opened by a second process), for `shopfloor status`: the projector's
 * recorded positions (sink_offsets), the topic ids the projection was built from, and the number
 * of dead letters in ClickHouse.
 */
export async function internalStatusRoutes(app: FastifyInstance, options: { reader: ClickHouseReader }) {
  const { reader } = options;
  app.get('/internal/status', async () => {
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
  });
}
