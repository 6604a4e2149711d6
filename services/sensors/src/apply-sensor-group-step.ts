import {
  type ClickHouseWriter,
  insertSensorAlertResolutions,
  insertSensorAlerts,
  insertSensorBatchReadings,
  insertSensorReadings,
} from '@shopfloor/clickhouse';
import { ok, type StepResult } from '@shopfloor/contracts';
import {
  type AppliedGroup,
  allWritten,
  type GroupToApply,
  groupToken,
  groupWriteStep,
  offsetsToCommit,
  type RangeGroup,
  type RetryWithHeartbeat,
} from '@shopfloor/group-projector';
import type { OutgoingMessage } from '@shopfloor/kafka';
import type { ProjectorMetrics, ProjectorTable, SensorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type { DecodedSensorRecords } from './decode-sensor-group-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import { projectSensorGroup, type SensorJobOutcome } from './sensor-projection.ts';

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
  onOutcomes?: ((outcomes: SensorJobOutcome[]) => void) | undefined;
  /** Called once a group's alerts are visible in ClickHouse (the other half of a job's answer). */
  onAlertsVisible?: ((alertIds: string[]) => void) | undefined;
  /** Where each table's insert is timed, and each alert's time to visible (Prometheus). */
  metrics?: { projector: ProjectorMetrics; sensor: Pick<SensorMetrics, 'alertReached'> } | undefined;
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
    const decoded = await deps.decodeGroup(group);
    if (decoded.kind !== 'ok') return decoded;
    const projection = projectSensorGroup(decoded.value);
    // The group's marker is written (group-sink.ts) before it is applied: the alerts' Kafka hops are
    // behind them, their inserts ahead (the split of `visible` that says which one a slow alert waited on).
    const recordedAt = Date.now();
    for (const a of projection.alerts)
      deps.metrics?.sensor.alertReached('recorded', (recordedAt - a.receivedAt) / 1000);
    const token = groupToken(group);
    const step = groupWriteStep(retry, heartbeat, deps.log);
    const suffix = SENSOR_TABLE_TOKEN_SUFFIX;
    const insert = async (
      table: ProjectorTable & keyof typeof suffix,
      rows: number,
      run: () => Promise<void>,
    ) => {
      if (rows === 0) return; // an empty insert writes nothing (rows.ts): nothing to time
      const startedAt = performance.now();
      await step(`insert into ${table}`, run);
      deps.metrics?.projector.inserted({ table, rows, seconds: (performance.now() - startedAt) / 1000 });
    };
    // Every table's rows are built from records the codecs decoded (Avro types and enums checked), so
    // they are inserted unchecked (`validate: false`; bench/micro/row-validation.ts prices the check).
    // Alerts first, alone: they are what a reader waits for (issue 12: 500 ms), and an insert into
    // the embedded engine costs mostly its fixed 20-30 ms, so the bulk inserts go after them. (The
    // alert lane's own projector, a separate consumer group, runs beside this one on the session pool.)
    await insert('sensor_alerts', projection.alerts.length, () =>
      insertSensorAlerts(writer, projection.alerts, {
        dedupToken: `${token}:${suffix.sensor_alerts}`,
        validate: false,
      }),
    );
    const visibleAt = Date.now();
    for (const a of projection.alerts)
      deps.metrics?.sensor.alertReached('visible', (visibleAt - a.receivedAt) / 1000);
    if (projection.alerts.length > 0) deps.onAlertsVisible?.(projection.alerts.map((a) => a.alertId));
    // The other tables are independent of each other (one token each): side by side, on the
    // embedded engine's session pool.
    await allWritten([
      insert('sensor_readings', projection.readings.length, () =>
        insertSensorReadings(writer, projection.readings, {
          dedupToken: `${token}:${suffix.sensor_readings}`,
          validate: false,
        }),
      ),
      insert('sensor_alert_resolutions', projection.resolutions.length, () =>
        insertSensorAlertResolutions(writer, projection.resolutions, {
          dedupToken: `${token}:${suffix.sensor_alert_resolutions}`,
          validate: false,
        }),
      ),
      insert('sensor_batch_readings', projection.batchReadings.length, () =>
        insertSensorBatchReadings(writer, projection.batchReadings, {
          dedupToken: `${token}:${suffix.sensor_batch_readings}`,
          validate: false,
        }),
      ),
    ]);
    if (projection.outcomes.length > 0) deps.onOutcomes?.(projection.outcomes);
    const parked = decoded.value.parked;
    if (parked.length > 0) {
      const messages = parked.map((p) => ({ key: p.key, value: deps.codecs.deadLetter.encode(p.record) }));
      await step('park undecodable records', () =>
        deps.publish([{ topic: deps.topics.deadLetter, messages }]),
      );
    }
    await step('commit offsets', () => deps.commitOffsets(offsetsToCommit(group)));
    const { processed, alerts, resolutions, deadLetters, undecodable } = decoded.value;
    return ok({
      changeRows: projection.readings.length + projection.alerts.length + projection.resolutions.length,
      outcomes: projection.outcomes.length,
      invalidRecords: undecodable,
      // A batch record holds a partition batch's decisions: count the decisions, as before the batches.
      records: processed.length + alerts.length + resolutions.length + deadLetters.length + undecodable,
    });
  };
}
