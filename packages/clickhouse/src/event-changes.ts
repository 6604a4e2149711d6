import { z } from 'zod';
import type { ClickHouseWriter, InsertFormat } from './client.ts';
import { dedupSettings, parseRows } from './rows.ts';
import { epochMsSchema, toDateTime64 } from './time.ts';

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
 * One change of the winners: +1 adds a winner version, -1 retracts one. Field names match
 * `ChangeRow` of @shopfloor/contracts, so the projector passes those rows as they are.
 */
export const eventChangeRowSchema = z.object({
  sign: z.union([z.literal(1), z.literal(-1)]),
  eventId: z.string().min(1),
  eventTimeMs: epochMsSchema,
  machineId: z.string().min(1),
  lineId: z.string().min(1),
  factoryId: z.string().min(1),
  durationMs: z.int().min(0).max(0xffff_ffff),
  defectCount: z
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1),
  receivedAt: epochMsSchema,
  version: z.int().min(0),
});

export type EventChangeRow = z.infer<typeof eventChangeRowSchema>;

export interface InsertEventChangesOptions {
  /** Same token for the same rows on every replay (see README, "Exactly once"). */
  dedupToken: string;
  /** Validate every row with the zod schema first (default true). */
  validate?: boolean;
  /** Wire format; JSONCompactEachRow is the default (fastest of the JSON formats with chdb). */
  format?: Extract<InsertFormat, 'JSONCompactEachRow' | 'TabSeparated'>;
}

/**
 * Inserts change rows as ONE insert (one block, so one deduplication token). Re-inserting the same
 * rows with the same token leaves event_changes and every view target (events, minute stats,
 * event_changes_by_factory) unchanged. Keep a call well under 1M rows so it stays one block.
 */
export async function insertEventChanges(
  writer: ClickHouseWriter,
  rows: readonly EventChangeRow[],
  options: InsertEventChangesOptions,
): Promise<void> {
  const settings = dedupSettings(options.dedupToken);
  const valid =
    options.validate === false ? rows : parseRows(eventChangeRowSchema, EVENT_CHANGES_TABLE, rows);
  if (valid.length === 0) return;
  const format = options.format ?? 'JSONCompactEachRow';
  await writer.insert({
    table: EVENT_CHANGES_TABLE,
    columns: eventChangeColumns,
    format,
    values: format === 'TabSeparated' ? encodeTabSeparated(valid) : valid.map(toCompactRow),
    settings,
  });
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

// TabSeparated escaping: backslash, tab, newline, carriage return (ids exclude control characters,
// but escape them anyway so no input can break a row).
const TSV_SPECIAL = /[\\\t\n\r]/;
const TSV_SPECIAL_GLOBAL = /[\\\t\n\r]/g;
const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function escapeTabSeparated(value: string): string {
  return TSV_SPECIAL.test(value) ? value.replace(TSV_SPECIAL_GLOBAL, (c) => TSV_ESCAPES[c] ?? c) : value;
}

function encodeTabSeparated(rows: readonly EventChangeRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${escapeTabSeparated(r.eventId)}\t${toDateTime64(r.eventTimeMs)}\t${escapeTabSeparated(r.machineId)}\t${escapeTabSeparated(r.lineId)}\t${escapeTabSeparated(r.factoryId)}\t${r.durationMs}\t${r.defectCount}\t${toDateTime64(r.receivedAt)}\t${r.version}\t${r.sign}\n`;
  }
  return out;
}
