import { setTimeout as sleep } from 'node:timers/promises';
import {
  createCommitPartitionBatchStep,
  PartitionOwners,
  RestoreCoordinator,
  respondToTransactionFailure,
  TransactionFailure,
} from '@shopfloor/consumer';
import { backoffDelay, ConsumerStopError, type KafkaClient } from '@shopfloor/kafka';
import type { DetectorConfig } from '@shopfloor/sensors';
import type { Logger } from 'pino';
import { createProcessReadingsStep } from './process-readings-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import { createSensorCounters, type SensorCounters } from './sensor-counters.ts';
import { SensorPartitionState } from './sensor-partition-state.ts';
import { restoreSensorPartitions } from './sensor-state-restorer.ts';
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
  stopped: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * A member of the sensor processor group: the dedupe runner's shape with the anomaly processor in
 * place of the dedupe decision. Per partition batch: restore the partition from the changelog if
 * needed, process the readings in log order, then one Kafka transaction on the partition's own
 * producer writes the changelog entries, the alerts and the input offsets (sendOffsets) together.
 * A failed transaction restores the partition and fetches the batch again.
 */
export async function startSensorRunner(options: SensorRunnerOptions): Promise<SensorRunner> {
  const { kafka, topics, groupId, log, codecs } = options;
  const counters = createSensorCounters();
  const owners = new PartitionOwners<SensorPartitionState>(kafka, `${groupId}.${topics.raw}`, {
    open: (partition) => new SensorPartitionState(partition, options.detector),
  });
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const restores = new RestoreCoordinator(
    (partitions, heartbeat) =>
      restoreSensorPartitions({
        kafka,
        stateTopic: topics.state,
        stateCodec: codecs.state,
        allPartitions,
        owners: partitions.map((p) => owners.forPartition(p)),
        log,
        heartbeat,
      }),
    (reports) => {
      counters.restores += reports.length;
    },
  );
  const processReadings = createProcessReadingsStep({ codecs, topics });
  const commitPartitionBatch = createCommitPartitionBatchStep({
    groupId,
    rawTopic: topics.raw,
    stateTopic: topics.state,
  });
  const failuresInARow = new Map<number, number>();

  async function refetchLater(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    const failures = failuresInARow.get(partition) ?? 0;
    failuresInARow.set(partition, failures + 1);
    restores.invalidate(partition);
    await sleep(backoffDelay(failures, { initialDelayMs: 200, maxDelayMs: 10_000 }));
    await heartbeat();
  }

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 20,
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topics.raw] ?? [];
    owners.keepOnly(assigned);
    restores.assign(assigned);
    log.info({ partitions: restores.assigned() }, 'sensor processor joined the group');
  });
  const stopped = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      const { error } = event.payload;
      log.error({ err: error }, 'sensor processor stopped');
      resolve(error.cause instanceof Error ? error.cause : error);
    });
  });

  await consumer.connect();
  await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const { partition } = batch;
      try {
        await restores.ensureRestored(partition, heartbeat);
      } catch (error) {
        log.error({ partition, err: error }, 'sensor state restore failed; retrying');
        return refetchLater(partition, heartbeat);
      }
      const owner = owners.forPartition(partition);
      const result = await processReadings(owner.store.processor, partition, batch.messages);
      if (result.kind !== 'ok') throw new ConsumerStopError(result.reason);
      try {
        await commitPartitionBatch(owner, {
          partition,
          lastOffset: batch.lastOffset(),
          topicMessages: result.value.topicMessages,
        });
      } catch (error) {
        if (!(error instanceof TransactionFailure)) throw error;
        if (respondToTransactionFailure(error) === 'stop') throw new ConsumerStopError(error.message);
        log.warn(
          { partition, err: error.error },
          'sensor transaction failed; restoring and processing again',
        );
        return refetchLater(partition, heartbeat);
      }
      failuresInARow.delete(partition);
      counters.batches++;
      counters.processed += result.value.processed;
      counters.duplicates += result.value.duplicates;
      counters.undecodable += result.value.undecodable;
      counters.alerts += result.value.alerts.length;
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });

  return {
    counters,
    assigned: () => restores.assigned(),
    stopped,
    async stop() {
      await restores.close(); // a restore still running is aborted, not left reading
      await consumer.disconnect();
      await owners.releaseAll();
    },
  };
}
