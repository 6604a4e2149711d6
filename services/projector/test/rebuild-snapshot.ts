import type { ClickHouseReader } from '@shopfloor/clickhouse';

const lines = async (reader: ClickHouseReader, sql: string) =>
  (await reader.query(sql)).map((r) => Object.values(r).join('|'));

/**
 * Every projection table as sorted lines: the winners (FINAL), both minute rollups and the factory
 * change rows summed per key (zero sums left out: a retraction may leave one), every change row,
 * the batch outcomes (FINAL) and the dead letters.
 */
export async function snapshotProjection(reader: ClickHouseReader) {
  return {
    events: await lines(
      reader,
      `SELECT event_id, machine_id, toUnixTimestamp64Milli(event_time), defect_count, version FROM events FINAL ORDER BY event_id`,
    ),
    machineMinutes: await lines(
      reader,
      `SELECT machine_id, toUnixTimestamp(minute) AS m, sum(events_count) AS n, sum(defects_count) AS d
       FROM machine_minute_stats GROUP BY machine_id, m HAVING n != 0 OR d != 0 ORDER BY machine_id, m`,
    ),
    lineMinutes: await lines(
      reader,
      `SELECT factory_id, line_id, toUnixTimestamp(minute) AS m, sum(events_count) AS n, sum(defects_count) AS d
       FROM line_minute_stats GROUP BY factory_id, line_id, m HAVING n != 0 OR d != 0 ORDER BY factory_id, line_id, m`,
    ),
    factoryChanges: await lines(
      reader,
      `SELECT factory_id, line_id, toUnixTimestamp64Milli(event_time) AS t, sum(sign) AS n
       FROM event_changes_by_factory GROUP BY factory_id, line_id, t HAVING n != 0 ORDER BY factory_id, line_id, t`,
    ),
    changeRows: await lines(
      reader,
      `SELECT event_id, version, sign, machine_id, toUnixTimestamp64Milli(event_time) AS t FROM event_changes
       ORDER BY event_id, version, sign`,
    ),
    batchEvents: await lines(
      reader,
      `SELECT batch_id, seq, decision, reason FROM batch_events FINAL ORDER BY batch_id, seq`,
    ),
    rejected: await lines(
      reader,
      `SELECT batch_id, seq, reason, payload FROM rejected_events ORDER BY batch_id, seq`,
    ),
  };
}

export type ProjectionSnapshot = Awaited<ReturnType<typeof snapshotProjection>>;
