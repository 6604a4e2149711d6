import { ok } from '@shopfloor/contracts';
import { noMetrics, type SensorMetrics } from '@shopfloor/metrics';
import type { DetectorConfig, IdentityStore, StateHorizon } from '@shopfloor/sensors';
import {
  reportRestore,
  type StreamMember,
  type StreamMemberOptions,
  startStreamRunner,
  streamMember,
} from '@shopfloor/stream-runner';
import { createProcessReadingsStep } from './process-readings-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import { createSensorCounters, type SensorCounters } from './sensor-counters.ts';
import { SensorPartitionState } from './sensor-partition-state.ts';
import { sensorChangelogState } from './sensor-state-restorer.ts';
import type { SensorTopics } from './sensor-topics.ts';

/** `partitions`: the partition count of sensor.readings.raw (and so of sensor.state). */
export interface SensorRunnerOptions extends StreamMemberOptions {
  codecs: SensorCodecs;
  topics: SensorTopics;
  detector: DetectorConfig;
  /** Bounded seen-identity state (SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS); undefined keeps every identity. */
  horizon?: StateHorizon | undefined;
  /**
   * Where each partition's seen identities are kept (the service gives `lmdbIdentityStores`, off
   * the V8 heap). Default: a JS Map per partition, for tests.
   */
  identities?: { open(partition: number): IdentityStore } | undefined;
  /** Where committed batches, alerts and restores are reported (Prometheus). Default: nowhere. */
  metrics?: SensorMetrics | undefined;
}

export type SensorRunner = StreamMember<SensorCounters> & {
  /** Reading identities held for the partitions this member owns (what the state horizon bounds). */
  seenIdentities(): number;
};

/**
 * A member of the sensor processor group: the shared stream runner with the anomaly processor in
 * place of the dedupe decision. Per partition batch: restore the partition from sensor.state and
 * sensor.reading-identities if needed, process the readings in log order; then one Kafka transaction per fetch, on the member's
 * one producer, writes every batch's changelog entries, alerts and input offsets together.
 * The processor runs ahead of the log, so a failed transaction restores it before the batch is
 * processed again.
 */
export async function startSensorRunner(options: SensorRunnerOptions): Promise<SensorRunner> {
  const { topics, codecs } = options;
  const counters = createSensorCounters();
  const metrics = options.metrics ?? noMetrics.sensor;
  const processReadings = createProcessReadingsStep({ codecs, topics });
  const runner = await startStreamRunner({
    name: 'sensor',
    kafka: options.kafka,
    groupId: options.groupId,
    topics: { input: topics.raw, state: topics.state, writeOnceState: topics.identities },
    partitions: options.partitions,
    memberIdDir: options.memberIdDir,
    stores: {
      open: (partition) =>
        new SensorPartitionState(
          partition,
          options.detector,
          options.horizon,
          options.identities?.open(partition),
        ),
    },
    changelog: { state: sensorChangelogState, codec: codecs.state },
    processBatch: async (state, batch) => {
      const result = await processReadings(state.processor, batch.partition, batch.messages);
      if (result.kind !== 'ok') return result;
      const processed = result.value;
      for (const w of processed.unrestorableWindows)
        options.log?.warn(
          { partition: batch.partition, series: w.series, reason: w.reason },
          'sensor state: a window could not be restored from its changelog runs; it starts over',
        );
      return ok({
        topicMessages: processed.topicMessages,
        committed: () => {
          counters.batches++;
          counters.processed += processed.processed;
          counters.duplicates += processed.duplicates;
          counters.undecodable += processed.undecodable;
          counters.alerts += processed.alerts.length;
          metrics.batchCommitted({
            accepted: processed.processed,
            duplicates: processed.duplicates,
            undecodable: processed.undecodable,
            alertSeverities: processed.alerts.map((a) => a.severity),
          });
          const committedAt = Date.now();
          for (const a of processed.alerts)
            metrics.alertReached('committed', (committedAt - a.receivedAt) / 1000);
          counters.stateRecords += processed.stateRecords;
          counters.windowRecords += processed.windowRecords;
          counters.stateBytes += processed.stateBytes;
        },
      });
    },
    stateAppliedOnCommit: false,
    onRestored: (reports) => {
      counters.restores += reports.length;
      reportRestore(metrics.processor, reports);
    },
    log: options.log,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  metrics.processor.sampleRestoreProgress(runner.restoreProgress);
  return {
    ...streamMember(runner, counters),
    seenIdentities: () =>
      runner.assigned().reduce((sum, p) => sum + runner.stateOf(p).processor.seenIdentities, 0),
  };
}
