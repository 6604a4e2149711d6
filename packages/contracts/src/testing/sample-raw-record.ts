import type { RawEventRecord } from '../wire-raw-event.ts';

/**
 * A raw record of a one-event batch `b-<batch>` for tests: the event `eventId` on M-1 / L-1 / F-1
 * (10 ms long) at `eventTimeMs`, with `defectCount`, received at `receivedAt`.
 */
export function sampleRawRecord(r: {
  batch: number;
  eventId: string;
  eventTimeMs: number;
  defectCount: number;
  receivedAt: number;
}): RawEventRecord {
  return {
    v: 1,
    batchId: `b-${r.batch}`,
    seq: 0,
    batchSize: 1,
    receivedAt: r.receivedAt,
    event: {
      eventId: r.eventId,
      eventTime: new Date(r.eventTimeMs).toISOString(),
      machineId: 'M-1',
      lineId: 'L-1',
      factoryId: 'F-1',
      durationMs: 10,
      defectCount: r.defectCount,
    },
  };
}
