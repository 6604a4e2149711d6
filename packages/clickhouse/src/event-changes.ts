import { type ChangeRow, changeRowSchema } from '@shopfloor/contracts';
import type { ClickHouseWriter, InsertFormat, InsertRequest } from './client.ts';
import { dedupSettings, parseRows } from './rows.ts';
import { escapeTabSeparated } from './tab-separated.ts';
import { toDateTime64 } from './time.ts';

export const EVENT_CHANGES_TABLE = 'event_changes';

export const eventChangeColumns = [
  'event_id',
  'event_time',
  'machine_id',
  'line_id',
  'factory_id',
  'duration_ms',
  'defect_count',
  'received_at',
  'version',
  'sign',
] as const;

/**
 * One change of the winners (+1 adds a winner version, -1 retracts one): the `ChangeRow` of
 * @shopfloor/contracts, so the projector passes the rows of events.changes as they are.
 */
export type EventChangeRow = ChangeRow;

export interface InsertEventChangesOptions {
  /** Same token for the same rows on every replay (see README, "Exactly once"). */
  dedupToken: string;
  /** Validate every row with the contracts' schema first (default true). */
  validate?: boolean;
  /**
   * The wire format (default TabSeparated, the cheapest; see tab-separated.ts). The token, not the
   * bytes, identifies a block, so a replay in the other format is still a no-op.
   */
  format?: 'TabSeparated' | 'JSONCompactEachRow';
}

/**
 * Inserts change rows as ONE insert (one block, so one deduplication token). Re-inserting the same
 * rows with the same token leaves event_changes and every view target (events, minute stats,
 * event_changes_by_factory) unchanged. Keep a call well under 1M rows so it stays one block.
 */
export function insertEventChanges(
  writer: ClickHouseWriter,
  rows: readonly EventChangeRow[],
  options: InsertEventChangesOptions,
): Promise<void> {
  const encoding: EventChangeEncoding =
    options.format === 'JSONCompactEachRow'
      ? { format: 'JSONCompactEachRow', encode: (valid) => valid.map(toCompactRow) }
      : { format: 'TabSeparated', encode: encodeEventChangesTabSeparated };
  return insertEncodedEventChanges(writer, rows, options, encoding);
}

/** How change rows are put on the wire. */
export interface EventChangeEncoding {
  format: InsertFormat;
  encode(rows: readonly EventChangeRow[]): InsertRequest['values'];
}

/** One insert of change rows in the given encoding, validated unless `validate: false`. Not exported by the package. */
export async function insertEncodedEventChanges(
  writer: ClickHouseWriter,
  rows: readonly EventChangeRow[],
  options: InsertEventChangesOptions,
  encoding: EventChangeEncoding,
): Promise<void> {
  const settings = dedupSettings(options.dedupToken);
  const valid = options.validate === false ? rows : parseRows(changeRowSchema, EVENT_CHANGES_TABLE, rows);
  if (valid.length === 0) return;
  await writer.insert({
    table: EVENT_CHANGES_TABLE,
    columns: eventChangeColumns,
    format: encoding.format,
    values: encoding.encode(valid),
    settings,
  });
}

/** Change rows as a TabSeparated body, columns in `eventChangeColumns` order. */
export function encodeEventChangesTabSeparated(rows: readonly EventChangeRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${escapeTabSeparated(r.eventId)}\t${toDateTime64(r.eventTimeMs)}\t${escapeTabSeparated(r.machineId)}\t${escapeTabSeparated(r.lineId)}\t${escapeTabSeparated(r.factoryId)}\t${r.durationMs}\t${r.defectCount}\t${toDateTime64(r.receivedAt)}\t${r.version}\t${r.sign}\n`;
  }
  return out;
}

function toCompactRow(r: EventChangeRow): unknown[] {
  return [
    r.eventId,
    toDateTime64(r.eventTimeMs),
    r.machineId,
    r.lineId,
    r.factoryId,
    r.durationMs,
    r.defectCount,
    toDateTime64(r.receivedAt),
    r.version,
    r.sign,
  ];
}
