import { type RestoreProgress, startStreamRunner } from '@shopfloor/consumer';
import { ok } from '@shopfloor/contracts';
import type { KafkaClient } from '@shopfloor/kafka';
import type { DetectorConfig } from '@shopfloor/sensors';
import type { Logger } from 'pino';
import { createProcessReadingsStep } from './process-readings-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import { createSensorCounters, type SensorCounters } from './sensor-counters.ts';
import { SensorPartitionState } from './sensor-partition-state.ts';
import { sensorChangelogState } from './sensor-state-restorer.ts';
import type { SensorTopics } from './sensor-topics.ts';

export interface SensorRunnerOptions {
  kafka: KafkaClient;
  codecs: SensorCodecs;
  topics: SensorTopics;
  groupId: string;
  /** Partition count of sensor.readings.raw (and so of sensor.state). */
  partitions: number;
  detector: DetectorConfig;
  log: Logger;
  sessionTimeoutMs?: number;
}

export interface SensorRunner {
  counters: SensorCounters;
  assigned(): number[];
  /** Whether every assigned partition's state is restored (for `/ready`). */
  restoreProgress(): RestoreProgress;
  stopped: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * A member of the sensor processor group: the shared stream runner with the anomaly processor in
 * place of the dedupe decision. Per partition batch: restore the partition from sensor.state if
 * needed, process the readings in log order, then one Kafka transaction on the partition's own
 * producer writes the changelog entries, the alerts and the input offsets (sendOffsets) together.
 * The processor runs ahead of the log, so a failed transaction restores it before the batch is
 * processed again.
 */
export async function startSensorRunner(options: SensorRunnerOptions): Promise<SensorRunner> {
  const { topics, codecs } = options;
  const counters = createSensorCounters();
  const processReadings = createProcessReadingsStep({ codecs, topics });
  const runner = await startStreamRunner({
    name: 'sensor',
    kafka: options.kafka,
    groupId: options.groupId,
    topics: { input: topics.raw, state: topics.state },
    partitions: options.partitions,
    stores: { open: (partition) => new SensorPartitionState(partition, options.detector) },
    changelog: { state: sensorChangelogState, codec: codecs.state },
    processBatch: async (state, batch) => {
      const result = await processReadings(state.processor, batch.partition, batch.messages);
      if (result.kind !== 'ok') return result;
      const processed = result.value;
      return ok({
        topicMessages: processed.topicMessages,
        committed: () => {
          counters.batches++;
          counters.processed += processed.processed;
          counters.duplicates += processed.duplicates;
          counters.undecodable += processed.undecodable;
          counters.alerts += processed.alerts.length;
          counters.stateRecords += processed.stateRecords;
          counters.windowSnapshots += processed.windowSnapshots;
        },
      });
    },
    stateAppliedOnCommit: false,
    onRestored: (reports) => {
      counters.restores += reports.length;
    },
    log: options.log,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  return {
    counters,
    assigned: runner.assigned,
    restoreProgress: runner.restoreProgress,
    stopped: runner.stopped,
    stop: runner.stop, // aborts a restore still running, then leaves the group
  };
}
