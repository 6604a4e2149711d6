import type { EventChangeRow } from '@shopfloor/clickhouse';

/**
 * Change rows as the projector writes them, each with an event id of its own (numbered on from the
 * previous call), for the insert micro-benchmarks.
 */
export function eventChangeRows(): (size: number) => EventChangeRow[] {
  let n = 0;
  return (size) =>
    Array.from({ length: size }, () => {
      const i = n++;
      return {
        sign: 1,
        eventId: `evt-${i.toString(36).padStart(8, '0')}-aaaa-bbbb`,
        eventTimeMs: 1772359200000 + i,
        machineId: `M-${i % 50}`,
        lineId: `L-${i % 7}`,
        factoryId: 'F-1',
        durationMs: 500 + (i % 1000),
        defectCount: i % 3,
        receivedAt: 1772359200000 + i,
        version: 1,
      };
    });
}
