import { setTimeout as sleep } from 'node:timers/promises';
import { type ClickHouseReader, querySensorAlertResolution } from '@shopfloor/clickhouse';
import { HttpError } from '@shopfloor/http-kit';
import {
  type AlertResolutionAnswer,
  type AlertResolutionRecord,
  SENSOR_WIRE_VERSION,
} from '@shopfloor/sensors';

export type AlertResolver = (input: {
  alertId: string;
  resolvedBy: string;
  note: string | null;
}) => Promise<AlertResolutionAnswer>;

/**
 * Resolves an alert, idempotently: an alert already resolved answers its first resolution; an
 * unknown id (not in ClickHouse's alerts table) is 404; otherwise an AlertResolutionRecord is
 * appended to the log (so it survives a rebuild) and the answer waits, bounded, until the projector
 * made it visible, then reads the earliest resolution back (the one every query shows). Two
 * requests for one alert in this process share one write; across processes the earliest record
 * wins in every query.
 */
export function createAlertResolver(deps: {
  reader: ClickHouseReader;
  write: (record: AlertResolutionRecord) => Promise<void>;
  waitMs: number;
  now?: () => number;
}): AlertResolver {
  const now = deps.now ?? Date.now;
  const inFlight = new Map<string, Promise<AlertResolutionAnswer>>();
  const lookup = (alertId: string) =>
    querySensorAlertResolution(deps.reader, alertId).catch((err: Error) => {
      throw new HttpError('CLICKHOUSE_UNAVAILABLE', `The statistics store is unavailable (${err.message}).`);
    });
  const answerOf = (
    alertId: string,
    r: { resolvedBy: string; note: string | null; resolvedAtMs: number },
  ) => ({
    alertId,
    status: 'RESOLVED' as const,
    resolvedBy: r.resolvedBy,
    note: r.note,
    resolvedAt: new Date(r.resolvedAtMs).toISOString(),
  });

  async function resolve(input: Parameters<AlertResolver>[0]): Promise<AlertResolutionAnswer> {
    const { alertId } = input;
    const found = await lookup(alertId);
    if (!found.found) throw new HttpError('NOT_FOUND', `No alert ${JSON.stringify(alertId)}.`);
    if (found.resolution) return answerOf(alertId, found.resolution);
    const record: AlertResolutionRecord = {
      v: SENSOR_WIRE_VERSION,
      alertId,
      resolvedBy: input.resolvedBy,
      note: input.note,
      resolvedAt: now(),
    };
    await deps.write(record);
    const deadline = Date.now() + deps.waitMs;
    while (Date.now() < deadline) {
      await sleep(25);
      const seen = await lookup(alertId);
      if (seen.found && seen.resolution) return answerOf(alertId, seen.resolution);
    }
    // Durable in the log but not visible yet: the record written is what the projector will show.
    return answerOf(alertId, {
      resolvedBy: record.resolvedBy,
      note: record.note,
      resolvedAtMs: record.resolvedAt,
    });
  }

  return (input) => {
    const running = inFlight.get(input.alertId);
    if (running) return running;
    const result = resolve(input).finally(() => inFlight.delete(input.alertId));
    inFlight.set(input.alertId, result);
    return result;
  };
}
