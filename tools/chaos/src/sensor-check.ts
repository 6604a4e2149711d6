// Reads the sensor service's ClickHouse after the run (the service stopped) and compares its tables,
// and the sensor read routes of the query service over that same store (in-process, inject()), with
// the truth. Rows are counted without FINAL, so a reading or an alert inserted twice shows.
import { type ClickHouseReader, openClickHouse } from '@shopfloor/clickhouse';
import { buildQueryApp } from '@shopfloor/query';
import { diffMaps, type TableDiff, withinRows } from './diff.ts';
import {
  type ExpectedReading,
  NO_READING_ID,
  type RejectionRows,
  type ResolutionRows,
  type SensorTruth,
  type SeriesTotals,
  sensorMinuteKey,
} from './sensor-truth.ts';

type Row = Record<string, unknown>;
type ReadingRow = ExpectedReading & { rows: number };

const sameReading = (a: ReadingRow, b: ReadingRow) =>
  a.rows === b.rows &&
  a.equipmentId === b.equipmentId &&
  a.sensorType === b.sensorType &&
  a.value === b.value &&
  a.timestampMs === b.timestampMs &&
  a.assessment === b.assessment &&
  a.alertId === b.alertId;

async function readingRows(reader: ClickHouseReader): Promise<Map<string, ReadingRow>> {
  const rows = await reader.query(
    `SELECT reading_key AS k, count() AS n, any(toString(equipment_id)) AS e, any(toString(sensor_type)) AS s,
            any(value) AS v, any(toUnixTimestamp64Milli(ts)) AS t, any(toString(assessment)) AS a, any(alert_id) AS al
     FROM sensor_readings GROUP BY reading_key`,
  );
  return new Map(
    rows.map((r: Row) => [
      String(r.k),
      {
        rows: Number(r.n),
        equipmentId: String(r.e),
        sensorType: String(r.s),
        value: Number(r.v),
        timestampMs: Number(r.t),
        assessment: String(r.a) as ExpectedReading['assessment'],
        alertId: r.al === null ? null : String(r.al),
      },
    ]),
  );
}

/** Every sensor table against the truth. */
export async function checkSensorTables(clickhouseDir: string, truth: SensorTruth): Promise<TableDiff[]> {
  const ch = await openClickHouse({ dataDir: clickhouseDir });
  try {
    const reader = ch.reader;
    const expectedReadings = new Map([...truth.readings].map(([k, r]) => [k, { ...r, rows: 1 }]));
    const diffs = [
      diffMaps(
        'sensor_readings (rows per reading)',
        expectedReadings,
        await readingRows(reader),
        sameReading,
      ),
    ];

    const minutes = new Map<string, SeriesTotals>();
    for (const r of await reader.query(
      `SELECT toString(equipment_id) AS e, toString(sensor_type) AS s, toUnixTimestamp(minute) AS m,
              sum(readings_count) AS n, sum(anomalies_count) AS an, min(value_min) AS lo, max(value_max) AS hi
       FROM sensor_minute_stats GROUP BY e, s, m`,
    ))
      minutes.set(sensorMinuteKey(String(r.e), String(r.s), Number(r.m) * 1000), {
        readings: Number(r.n),
        anomalies: Number(r.an),
        min: Number(r.lo),
        max: Number(r.hi),
      });
    diffs.push(
      diffMaps(
        'sensor_minute_stats',
        truth.minutes,
        minutes,
        (a, b) => JSON.stringify(a) === JSON.stringify(b),
      ),
    );

    const alerts = new Map<string, string>();
    for (const r of await reader.query(
      `SELECT alert_id AS id, count() AS n, any(toString(severity)) AS sev, any(reading_key) AS k,
              any(toString(equipment_id)) AS e, any(toString(sensor_type)) AS s
       FROM sensor_alerts GROUP BY alert_id`,
    ))
      alerts.set(String(r.id), `${r.n}× ${r.sev} ${r.e}/${r.s} ${r.k}`);
    const expectedAlerts = new Map(
      [...truth.alerts].map(([id, a]) => [
        id,
        `1× ${a.severity} ${a.equipmentId}/${a.sensorType} ${a.readingKey}`,
      ]),
    );
    diffs.push(diffMaps('sensor_alerts (rows per alert)', expectedAlerts, alerts, (a, b) => a === b));

    diffs.push(await checkResolutions(reader, truth), await checkRejections(reader, truth));
    diffs.push(...(await checkSensorRoutes(reader, truth)));
    return diffs;
  } finally {
    await ch.close();
  }
}

/**
 * sensor_alert_resolutions per alert: 1..(PATCHes sent) rows for an acknowledged resolution (a PATCH
 * whose answer was lost may have appended its own record before the retry), none for an alert never
 * PATCHed; the earliest row (as `querySensorAlertResolution` picks it: argMin by resolved_at) has the
 * note and resolvedBy the harness sent.
 */
async function checkResolutions(reader: ClickHouseReader, truth: SensorTruth): Promise<TableDiff> {
  const actual = new Map<string, ResolutionRows>();
  for (const r of await reader.query(
    // Aliases unlike the columns: ClickHouse substitutes an alias for a column of the same name.
    `SELECT alert_id AS id, count() AS n,
            tupleElement(argMin((resolved_by, note), resolved_at), 1) AS first_by,
            tupleElement(argMin((resolved_by, note), resolved_at), 2) AS first_note
     FROM sensor_alert_resolutions GROUP BY alert_id`,
  ))
    actual.set(String(r.id), {
      rows: Number(r.n),
      resolvedBy: String(r.first_by),
      note: r.first_note === null ? null : String(r.first_note),
    });
  const expected = truth.expectedResolutionRows();
  // A PATCH never acknowledged (the run failed on it) may or may not have landed: none is fine too.
  for (const [id, want] of expected)
    if (typeof want.rows !== 'number' && want.rows.min === 0 && !actual.has(id))
      actual.set(id, { ...want, rows: 0 });
  return diffMaps('sensor_alert_resolutions (1..PATCHes; first as sent)', expected, actual, withinRows);
}

/**
 * The webhook's rejections (parked on sensor.dlq, projected into sensor_batch_readings as `rejected`
 * with their reason) per readingId, the id-less ones counted together: one row per POST of the batch
 * that reached the webhook (each is a job of its own), so 1..(attempts of its batch), with the reason
 * the validation gives; no rejection the truth does not know. Counted by distinct (batch_id, seq),
 * the table's ReplacingMergeTree key, under which a replayed outcome collapses by design.
 */
async function checkRejections(reader: ClickHouseReader, truth: SensorTruth): Promise<TableDiff> {
  const actual = new Map<string, RejectionRows>();
  for (const r of await reader.query(
    `SELECT reading_id AS id, uniqExact(batch_id, seq) AS n,
            arrayStringConcat(arraySort(groupUniqArray(toString(reason))), ',') AS rejection_reasons
     FROM sensor_batch_readings WHERE decision = 'rejected' GROUP BY reading_id`,
  ))
    actual.set(r.id === null ? NO_READING_ID : String(r.id), {
      rows: Number(r.n),
      reasons: String(r.rejection_reasons),
    });
  return diffMaps(
    'sensor_batch_readings (rejected, 1..POSTs, reason)',
    truth.expectedRejectionRows(),
    actual,
    withinRows,
  );
}

type AlertAnswer = { alertId: string; severity: string; status: string; equipmentId: string };

/** GET /api/alerts/history (every page) and GET /api/equipment/:id/status per piece of equipment. */
async function checkSensorRoutes(reader: ClickHouseReader, truth: SensorTruth): Promise<TableDiff[]> {
  const app = await buildQueryApp({ reader });
  try {
    const get = async (url: string) => {
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json() as unknown;
    };
    const equipment = [...new Set([...truth.readings.values()].map((r) => r.equipmentId))].sort();
    const history = { expected: new Map<string, string>(), actual: new Map<string, string>() };
    const status = { expected: new Map<string, string>(), actual: new Map<string, string>() };
    for (const id of equipment) {
      let cursor: string | null = null;
      do {
        const page = (await get(
          `/api/alerts/history?equipmentId=${encodeURIComponent(id)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        )) as { alerts: AlertAnswer[]; nextCursor: string | null };
        for (const a of page.alerts) {
          const key = `${a.alertId}`;
          history.actual.set(
            key,
            history.actual.has(key) ? 'listed twice' : `${a.equipmentId} ${a.severity} ${a.status}`,
          );
        }
        cursor = page.nextCursor;
      } while (cursor !== null);
      const s = (await get(`/api/equipment/${encodeURIComponent(id)}/status`)) as {
        sensors: { sensorType: string; readingsCount: number; value: number; assessment: string }[];
        openAlertCounts: Record<string, number>;
      };
      const want = truth.equipment(id);
      const sorted = <T extends { sensorType: string }>(xs: T[]) =>
        [...xs].sort((a, b) => (a.sensorType < b.sensorType ? -1 : 1));
      status.expected.set(
        id,
        JSON.stringify({
          sensors: sorted([...want.sensors].map(([sensorType, v]) => ({ sensorType, ...v }))),
          openAlertCounts: want.openAlertCounts,
        }),
      );
      status.actual.set(
        id,
        JSON.stringify({
          sensors: sorted(
            s.sensors.map(({ sensorType, readingsCount, value, assessment }) => ({
              sensorType,
              readingsCount,
              value,
              assessment,
            })),
          ),
          openAlertCounts: {
            LOW: s.openAlertCounts.LOW,
            MEDIUM: s.openAlertCounts.MEDIUM,
            CRITICAL: s.openAlertCounts.CRITICAL,
          },
        }),
      );
    }
    for (const [id, a] of truth.alerts)
      history.expected.set(
        id,
        `${a.equipmentId} ${a.severity} ${truth.resolved.has(id) ? 'RESOLVED' : 'OPEN'}`,
      );
    return [
      diffMaps('GET /api/alerts/history', history.expected, history.actual, (a, b) => a === b),
      diffMaps('GET /api/equipment/:id/status', status.expected, status.actual, (a, b) => a === b),
    ];
  } finally {
    await app.close();
  }
}
