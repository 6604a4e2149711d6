import {
  type ClickHouseReader,
  type OpenAlertSeverityRow,
  queryOpenAlertSeverities,
  querySensorAlertPage,
  querySensorSeries,
  type SensorAlertPageRow,
  type SensorSeriesRow,
  type TimeRange,
} from '@shopfloor/clickhouse';
import { z } from 'zod';

/** What the sensor panels read: the same queries as `/api/equipment` and `/api/alerts/…`. */
export interface SensorDashboardPorts {
  /** Every sensor series and the open alerts per equipment and severity (`GET /api/equipment`). */
  equipment(): Promise<{ series: SensorSeriesRow[]; openSeverities: OpenAlertSeverityRow[] }>;
  /** Alerts newest first: all (`/api/alerts/history`) or open CRITICAL ones (`/api/alerts/critical`). */
  alerts(q: { openCriticalOnly: boolean; limit: number }): Promise<SensorAlertPageRow[]>;
}

export type ClientTotals = { clientId: string; count: number; totalAmount: bigint };

/** What the metric-events panels read, over a window of whole minutes. */
export interface MetricEventsDashboardPorts {
  /** Counted events by their timestamp, from the minute rollup (as `/aggregates` sums them). */
  processed(range: TimeRange): Promise<number>;
  /** Failed events (rejected and failed in processing) by their receive time, per reason. */
  failedByReason(range: TimeRange): Promise<{ reason: string; events: number }[]>;
  /** The clients with the largest total amount, from the minute rollup. */
  topClients(range: TimeRange, limit: number): Promise<ClientTotals[]>;
}

export function clickHouseSensorDashboardPorts(reader: ClickHouseReader): SensorDashboardPorts {
  return {
    async equipment() {
      const [series, openSeverities] = await Promise.all([
        querySensorSeries(reader),
        queryOpenAlertSeverities(reader),
      ]);
      return { series, openSeverities };
    },
    alerts: ({ openCriticalOnly, limit }) =>
      querySensorAlertPage(
        reader,
        openCriticalOnly ? { severity: 'CRITICAL', status: 'OPEN', limit } : { limit },
      ),
  };
}

const count = z.coerce.number().int();
const totalsRow = z.object({ clientId: z.string(), count, total: z.string() });
const reasonRow = z.object({ reason: z.string(), events: count });
/** The window's bounds as the minute rollup's DateTime (seconds): the dashboard's are whole minutes. */
const minuteParams = (range: TimeRange) => ({ from: range.fromMs / 1000, to: range.toMs / 1000 });

export function clickHouseMetricEventsDashboardPorts(reader: ClickHouseReader): MetricEventsDashboardPorts {
  return {
    async processed(range) {
      const rows = await reader.query(
        `SELECT toInt64(sum(events_count)) AS n FROM metric_minute_totals
         WHERE minute >= toDateTime({from:Int64}, 'UTC') AND minute < toDateTime({to:Int64}, 'UTC')`,
        { params: minuteParams(range) },
      );
      return count.parse(rows[0]?.n ?? 0);
    },
    async failedByReason(range) {
      const rows = await reader.query(
        `SELECT toString(reason) AS reason, count() AS events FROM metric_failed_events FINAL
         WHERE received_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
           AND received_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
         GROUP BY reason ORDER BY reason`,
        { params: { from: range.fromMs, to: range.toMs } },
      );
      return rows.map((r) => reasonRow.parse(r));
    },
    async topClients(range, limit) {
      const rows = await reader.query(
        `SELECT client_id AS clientId, toInt64(sum(events_count)) AS count, toString(sum(total_amount)) AS total
         FROM metric_minute_totals
         WHERE minute >= toDateTime({from:Int64}, 'UTC') AND minute < toDateTime({to:Int64}, 'UTC')
         GROUP BY client_id HAVING count > 0
         ORDER BY sum(total_amount) DESC, client_id LIMIT {limit:UInt32}`,
        { params: { ...minuteParams(range), limit } },
      );
      return rows.map((r) => {
        const row = totalsRow.parse(r);
        return { clientId: row.clientId, count: row.count, totalAmount: BigInt(row.total) };
      });
    },
  };
}
