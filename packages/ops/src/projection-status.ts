import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { readRecordedTopicIds, readSinkPositions } from './projection-log-guard.ts';

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

/** The ClickHouse-owning process's part of `GET /internal/status`. */
export async function projectionStatus(reader: ClickHouseReader) {
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
