import type { OpenAlertSeverityRow } from '@shopfloor/clickhouse';
import type { OpenAlertCounts } from '@shopfloor/sensors';

/** The open alerts of one piece of equipment counted per severity (zeros included). */
export function openAlertCounts(rows: readonly OpenAlertSeverityRow[]): OpenAlertCounts {
  const counts: OpenAlertCounts = { LOW: 0, MEDIUM: 0, CRITICAL: 0 };
  for (const row of rows) counts[row.severity] += row.openCount;
  return counts;
}
