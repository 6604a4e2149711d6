// Reads the projector's ClickHouse data directory after the run (the projector stopped) and compares
// every table and rollup exactly with the ground truth.
import { type ClickHouseReader, openClickHouse } from '@shopfloor/clickhouse';
import { diffMaps, type TableDiff } from './diff.ts';
import {
  type Counts,
  type EventRow,
  type ExpectedState,
  lineMinuteKey,
  machineMinuteKey,
} from './ground-truth.ts';

const sameCounts = (a: Counts, b: Counts) => a.events === b.events && a.defects === b.defects;
const zeroCounts = (c: Counts) => c.events === 0 && c.defects === 0;
const sameRow = (a: EventRow, b: EventRow) =>
  a.eventTimeMs === b.eventTimeMs &&
  a.machineId === b.machineId &&
  a.lineId === b.lineId &&
  a.factoryId === b.factoryId &&
  a.durationMs === b.durationMs &&
  a.defectCount === b.defectCount;

async function countsBy(reader: ClickHouseReader, sql: string, key: (r: Record<string, unknown>) => string) {
  const map = new Map<string, Counts>();
  for (const r of await reader.query(sql)) {
    const k = key(r);
    const c = map.get(k) ?? { events: 0, defects: 0 };
    c.events += Number(r.e);
    c.defects += Number(r.d);
    map.set(k, c);
  }
  return map;
}

const minuteMs = (r: Record<string, unknown>) => Number(r.m) * 1000;
const SIGNED = `sum(sign) AS e, sum(if(defect_count >= 0, sign * defect_count, 0)) AS d`;

/** Every comparison of the run's tables against the truth, one entry per table (or check). */
export async function checkTables(clickhouseDir: string, truth: ExpectedState): Promise<TableDiff[]> {
  const ch = await openClickHouse({ dataDir: clickhouseDir });
  try {
    const reader = ch.reader;
    const diffs: TableDiff[] = [];

    const events = new Map<string, EventRow>();
    let finalRows = 0;
    for (const r of await reader.query(
      `SELECT event_id, toUnixTimestamp64Milli(event_time) AS t, toString(machine_id) AS machine,
              toString(line_id) AS line, toString(factory_id) AS factory, duration_ms, defect_count
       FROM events FINAL`,
    )) {
      finalRows++;
      events.set(String(r.event_id), {
        eventId: String(r.event_id),
        eventTimeMs: Number(r.t),
        machineId: String(r.machine),
        lineId: String(r.line),
        factoryId: String(r.factory),
        durationMs: Number(r.duration_ms),
        defectCount: Number(r.defect_count),
      });
    }
    const eventsDiff = diffMaps('events FINAL', truth.events, events, sameRow);
    if (finalRows !== events.size) {
      // FINAL must give one row per event_id.
      eventsDiff.mismatched += finalRows - events.size;
      eventsDiff.differences += finalRows - events.size;
      eventsDiff.samples.push(`${finalRows} rows for ${events.size} distinct event_ids`);
    }
    diffs.push(eventsDiff);

    const machineKey = (r: Record<string, unknown>) => machineMinuteKey(String(r.machine), minuteMs(r));
    const lineKey = (r: Record<string, unknown>) =>
      lineMinuteKey(String(r.factory), String(r.line), minuteMs(r));
    const checks: [string, string, (r: Record<string, unknown>) => string, Map<string, Counts>][] = [
      [
        'machine_minute_stats',
        `SELECT toString(machine_id) AS machine, toUnixTimestamp(minute) AS m,
                sum(events_count) AS e, sum(defects_count) AS d
         FROM machine_minute_stats GROUP BY machine_id, minute`,
        machineKey,
        truth.machineMinutes,
      ],
      [
        'line_minute_stats',
        `SELECT toString(factory_id) AS factory, toString(line_id) AS line, toUnixTimestamp(minute) AS m,
                sum(events_count) AS e, sum(defects_count) AS d
         FROM line_minute_stats GROUP BY factory_id, line_id, minute`,
        lineKey,
        truth.lineMinutes,
      ],
      [
        'event_changes (signed, by machine and minute)',
        `SELECT toString(machine_id) AS machine, toUnixTimestamp(toStartOfMinute(event_time)) AS m, ${SIGNED}
         FROM event_changes GROUP BY machine, m`,
        machineKey,
        truth.machineMinutes,
      ],
      [
        'event_changes_by_factory (signed, by line and minute)',
        `SELECT toString(factory_id) AS factory, toString(line_id) AS line,
                toUnixTimestamp(toStartOfMinute(event_time)) AS m, ${SIGNED}
         FROM event_changes_by_factory GROUP BY factory, line, m`,
        lineKey,
        truth.lineMinutes,
      ],
    ];
    for (const [table, sql, key, expected] of checks) {
      diffs.push(diffMaps(table, expected, await countsBy(reader, sql, key), sameCounts, zeroCounts));
    }

    // Per eventId, the change rows must net to exactly one +1: a replayed change would show as 2, a
    // lost retraction as 2, a lost winner as 0.
    const net = new Map<string, number>();
    for (const r of await reader.query(
      'SELECT event_id, sum(sign) AS s FROM event_changes GROUP BY event_id HAVING s != 0',
    ))
      net.set(String(r.event_id), Number(r.s));
    diffs.push(
      diffMaps(
        'event_changes (net sign per event_id)',
        new Map([...truth.events.keys()].map((id) => [id, 1])),
        net,
        (a, b) => a === b,
      ),
    );
    return diffs;
  } finally {
    await ch.close();
  }
}
