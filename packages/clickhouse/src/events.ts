import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

/**
 * `events` (ReplacingMergeTree(version), ORDER BY event_id) holds the winners. Nothing inserts into
 * it directly: events_mv copies every +1 row of event_changes. Read it with FINAL.
 */
export const EVENTS_TABLE = 'events';

export const eventWinnerSchema = z.object({
  eventId: z.string(),
  eventTimeMs: int64Schema,
  machineId: z.string(),
  lineId: z.string(),
  factoryId: z.string(),
  durationMs: z.number().int(),
  defectCount: z.number().int(),
  receivedAt: int64Schema,
  version: int64Schema,
});

export type EventWinner = z.infer<typeof eventWinnerSchema>;

const WINNER_COLUMNS = `event_id AS eventId, toUnixTimestamp64Milli(event_time) AS eventTimeMs,
  toString(machine_id) AS machineId, toString(line_id) AS lineId, toString(factory_id) AS factoryId,
  duration_ms AS durationMs, defect_count AS defectCount,
  toUnixTimestamp64Milli(received_at) AS receivedAt, version`;

/** The current winner of one event, or null. */
export async function queryEventWinner(
  reader: ClickHouseReader,
  eventId: string,
): Promise<EventWinner | null> {
  const rows = await reader.query(
    `SELECT ${WINNER_COLUMNS} FROM events FINAL WHERE event_id = {eventId:String}`,
    {
      params: { eventId },
    },
  );
  return parseResult(eventWinnerSchema, 'events winner', rows)[0] ?? null;
}

/** Number of distinct events with a winner. */
export async function countEventWinners(reader: ClickHouseReader): Promise<number> {
  const rows = await reader.query('SELECT count() AS n FROM events FINAL');
  return parseResult(z.object({ n: int64Schema }), 'events count', rows)[0]?.n ?? 0;
}

/** The current winners of many events at once (absent ids are simply missing). One statement. */
export async function queryEventWinners(
  reader: ClickHouseReader,
  eventIds: readonly string[],
): Promise<EventWinner[]> {
  if (eventIds.length === 0) return [];
  const rows = await reader.query(
    `SELECT ${WINNER_COLUMNS} FROM events FINAL WHERE event_id IN {eventIds:Array(String)}`,
    { params: { eventIds } },
  );
  return parseResult(eventWinnerSchema, 'events winners', rows);
}
