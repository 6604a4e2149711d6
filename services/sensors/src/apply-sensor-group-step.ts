import {
  type ClickHouseWriter,
  insertSensorAlertResolutions,
  insertSensorAlerts,
  insertSensorBatchReadings,
  insertSensorReadings,
} from '@shopfloor/clickhouse';
import { type OutcomeRecord, ok, type StepResult } from '@shopfloor/contracts';
import type { OutgoingMessage } from '@shopfloor/kafka';
import {
  type AppliedGroup,
  type GroupToApply,
  groupToken,
  groupWriteStep,
  offsetsToCommit,
  type RangeGroup,
  type RetryWithHeartbeat,
} from '@shopfloor/projector';
import type { Logger } from 'pino';
import type { DecodedSensorRecords } from './decode-sensor-group-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import { projectSensorGroup } from './sensor-projection.ts';
import { traceOn, traceTmp } from './trace-tmp.ts';

/**
 * The dedup token suffix of each table a group is inserted into. Part of the tokens of groups
 * already recorded in sink_offsets: never change them (a re-applied group would insert twice).
 */
export const SENSOR_TABLE_TOKEN_SUFFIX = {
  sensor_readings: 'sreadings',
  sensor_alerts: 'salerts',
  sensor_alert_resolutions: 'sresolutions',
  sensor_batch_readings: 'sbatches',
} as const;

export type ApplySensorGroupDeps = {
  writer: ClickHouseWriter;
  decodeGroup: (group: RangeGroup) => Promise<StepResult<DecodedSensorRecords>>;
  codecs: Pick<SensorCodecs, 'deadLetter'>;
  topics: { deadLetter: string };
  publish: (topicMessages: { topic: string; messages: OutgoingMessage[] }[]) => Promise<unknown>;
  commitOffsets: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>;
  retry: RetryWithHeartbeat;
  log: Logger;
  /** Called once a group's job outcomes are visible in ClickHouse (wakes the webhook's waiters). */
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
};

/**
 * The sensor stream's apply step for the projector's group sink (the same exactly-once design as
 * the events projector: the sink records the group's offsets first; here each table gets one insert
 * whose token is derived from them, so a re-applied group inserts nothing new, in the tables and in
 * the rollup; then parked records are published and the offsets committed).
 */
export function createApplySensorGroupStep(deps: ApplySensorGroupDeps) {
  const { writer, retry } = deps;
  return async function applySensorGroup({
    group,
    heartbeat,
  }: GroupToApply): Promise<StepResult<AppliedGroup>> {
    const t: Record<string, number> = { applyStart: Date.now() };
    const decoded = await deps.decodeGroup(group);
    t.decoded = Date.now();
    if (decoded.kind !== 'ok') return decoded;
    const projection = projectSensorGroup(decoded.value);
    const token = groupToken(group);
    const step = groupWriteStep(retry, heartbeat, deps.log);
    const suffix = SENSOR_TABLE_TOKEN_SUFFIX;
    // Alerts first: they are what a reader waits for (issue 12's 500 ms), and an insert's time is
    // mostly its fixed cost, so the bulk readings insert is not left in front of them.
    const insertAlerts = async () => {
    await step('insert into sensor_alerts', () =>
      insertSensorAlerts(writer, projection.alerts, { dedupToken: `${token}:${suffix.sensor_alerts}` }),
    );
    t.alertsDone = Date.now();
    };
    const insertReadings = async () => {
    await step('insert into sensor_readings', () =>
      insertSensorReadings(writer, projection.readings, { dedupToken: `${token}:${suffix.sensor_readings}` }),
    );
    t.readingsDone = Date.now();
    };
    if (process.env.SHOPFLOOR_TMP_ALERTS_LAST) {
      await insertReadings();
      await insertAlerts();
    } else {
      await insertAlerts();
      await insertReadings();
    }
    await step('insert into sensor_alert_resolutions', () =>
      insertSensorAlertResolutions(writer, projection.resolutions, {
        dedupToken: `${token}:${suffix.sensor_alert_resolutions}`,
      }),
    );
    t.resolutions = Date.now();
    await step('insert into sensor_batch_readings', () =>
      insertSensorBatchReadings(writer, projection.batchReadings, {
        dedupToken: `${token}:${suffix.sensor_batch_readings}`,
      }),
    );
    t.inserted = Date.now();
    if (projection.outcomes.length > 0) deps.onOutcomes?.(projection.outcomes);
    const parked = decoded.value.parked;
    if (parked.length > 0) {
      const messages = parked.map((p) => ({ key: p.key, value: deps.codecs.deadLetter.encode(p.record) }));
      await step('park undecodable records', () =>
        deps.publish([{ topic: deps.topics.deadLetter, messages }]),
      );
    }
    await step('commit offsets', () => deps.commitOffsets(offsetsToCommit(group)));
    t.committed = Date.now();
    if (traceOn)
      for (const a of decoded.value.alerts)
        traceTmp({ p: 'proj', alertId: a.value.alertId, kafkaTs: a.timestamp, markerAt: group.markerAt, ...t, rows: projection.readings.length, batchRows: projection.batchReadings.length });
    return ok({
      changeRows: projection.readings.length + projection.alerts.length + projection.resolutions.length,
      outcomes: projection.outcomes.length,
      invalidRecords: decoded.value.undecodable,
    });
  };
}
