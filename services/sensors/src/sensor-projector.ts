import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { RetryOptions } from '@shopfloor/kafka';
import { type Consumer, createIdempotentProducer, type KafkaClient, type Producer } from '@shopfloor/kafka';
import {
  type BadRecordPolicy,
  createGroupSink,
  createProjectorConsumer,
  createRetryWithHeartbeat,
  emptyCounters,
  groupToken,
  loadSinkState,
  PROJECTOR_RETRY,
  type ProjectorCounters,
  runProjectorConsumer,
} from '@shopfloor/projector';
import type { Logger } from 'pino';
import { createApplySensorGroupStep } from './apply-sensor-group-step.ts';
import { createDecodeSensorGroupStep } from './decode-sensor-group-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { SensorTopics } from './sensor-topics.ts';

export type SensorProjectorOptions = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  codecs: SensorCodecs;
  topics: SensorTopics;
  groupId: string;
  sessionTimeoutMs: number;
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
  retry?: RetryOptions | undefined;
};

export interface SensorProjector {
  readonly counters: ProjectorCounters;
  /** The topics it reads (what its sink_offsets rows and committed offsets are about). */
  readonly inputTopics: readonly string[];
  /** Recovers from sink_offsets and the committed offsets, then consumes until stopped. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * sensor.readings, sensor.alerts, sensor.alert-resolutions and sensor.dlq into ClickHouse, exactly
 * once, on the events projector's own machinery (`@shopfloor/projector`: sink recovery from
 * sink_offsets + committed offsets, group commit, the group sink that records a group's offsets
 * before it is applied and re-forms it after a crash, retries that heartbeat). Only the decode and
 * apply steps are the sensor stream's. Its sink_offsets rows are its own topics', so the two
 * projectors share the table without meeting.
 */
export function createSensorProjector(options: SensorProjectorOptions): SensorProjector {
  const { kafka, writer, codecs, topics, log } = options;
  const inputTopics = [topics.processed, topics.alerts, topics.resolutions, topics.deadLetter];
  const counters = emptyCounters();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  return {
    counters,
    inputTopics,
    async start() {
      const state = await loadSinkState(writer, kafka, { groupId: options.groupId, topics: inputTopics });
      if (state.unappliedGroup)
        log.info({ token: groupToken(state.unappliedGroup) }, 'sensor projector re-forming its last group');
      producer = createIdempotentProducer(kafka);
      await producer.connect();
      const connected = producer;
      consumer = createProjectorConsumer(kafka, {
        groupId: options.groupId,
        sessionTimeoutMs: options.sessionTimeoutMs,
      });
      const committer = consumer;
      const retry = createRetryWithHeartbeat(log, options.retry ?? PROJECTOR_RETRY);
      const applyGroup = createApplySensorGroupStep({
        writer,
        decodeGroup: createDecodeSensorGroupStep({
          codecs,
          topics,
          badRecordPolicy: options.badRecordPolicy,
          log,
        }),
        codecs,
        topics,
        publish: (topicMessages) => connected.sendBatch({ topicMessages }),
        commitOffsets: (offsets) => committer.commitOffsets(offsets),
        retry,
        log,
        onOutcomes: options.onOutcomes,
      });
      const sink = createGroupSink({ state, writer, applyGroup, retry, log, counters });
      await runProjectorConsumer(consumer, { topics: inputTopics, flush: (batches) => sink.flush(batches) });
    },
    async stop() {
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
