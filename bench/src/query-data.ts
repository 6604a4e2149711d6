import type { EventChangeRow } from '@shopfloor/clickhouse';
import { seededRandom } from '@shopfloor/contracts/testing';

/** The synthetic data set of the query section: 30 days, 200 machines, 20 lines, 4 factories. */
export const QUERY_DAYS = 30;
export const DAY_MS = 86_400_000;
export const QUERY_MACHINES = Array.from({ length: 200 }, (_, i) => `qm-${i}`);
export const QUERY_LINES = Array.from({ length: 20 }, (_, i) => `ql-${i}`);
export const QUERY_FACTORIES = Array.from({ length: 4 }, (_, i) => `qf-${i}`);

export const lineOfMachine = (m: number) => m % QUERY_LINES.length;
export const factoryOfMachine = (m: number) => lineOfMachine(m) % QUERY_FACTORIES.length;

/** Rows [offset, offset + n) of the data set ending at `endMs` (exclusive). */
export function queryRows(offset: number, n: number, endMs: number): EventChangeRow[] {
  const rand = seededRandom(offset + 1);
  const start = endMs - QUERY_DAYS * DAY_MS;
  const rows: EventChangeRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = Math.floor(rand() * QUERY_MACHINES.length);
    const eventTimeMs = start + Math.floor(rand() * QUERY_DAYS * DAY_MS);
    const r = rand();
    rows[i] = {
      sign: 1,
      eventId: `q-${offset + i}`,
      eventTimeMs,
      machineId: QUERY_MACHINES[m]!,
      lineId: QUERY_LINES[lineOfMachine(m)]!,
      factoryId: QUERY_FACTORIES[factoryOfMachine(m)]!,
      durationMs: 500 + Math.floor(r * 5000),
      defectCount: r < 0.05 ? -1 : Math.floor(r * 40) % 5,
      receivedAt: eventTimeMs + 1000,
      version: 1,
    };
  }
  return rows;
}
