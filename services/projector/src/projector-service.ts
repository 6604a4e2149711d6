import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';
import {
  type Consumer,
  createIdempotentProducer,
  type KafkaClient,
  type Producer,
  type RetryOptions,
  type ShopfloorCodecs,
} from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createApplyGroupStep } from './apply-group-step.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';
import { createFlushGate } from './flush-gate.ts';
import { createGroupSink, emptyCounters, type GroupSink, type ProjectorCounters } from './group-sink.ts';
import { loadSinkState } from './load-sink-state.ts';
import { createProjectorConsumer, runProjectorConsumer } from './projector-runner.ts';
import { groupToken } from './range-group.ts';
import { createRetryWithHeartbeat, PROJECTOR_RETRY } from './retry-with-heartbeat.ts';

export type ProjectorConfig = Pick<
  ShopfloorConfig,
  | 'topics'
  | 'SHOPFLOOR_PROJECTOR_GROUP'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
  | 'SHOPFLOOR_BAD_RECORD_POLICY'
>;

export type ProjectorDeps = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  codecs: ShopfloorCodecs;
  log: Logger;
  /** Called once a group's outcomes are visible in ClickHouse (the all-in-one process wakes waiters). */
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
  /** How writes are retried; the default rides out about 35 s of an outage. */
  retry?: RetryOptions | undefined;
  /** Where inserts and groups are reported (Prometheus): `createShopfloorMetrics().projector`. */
  metrics?: ProjectorMetrics | undefined;
};

/** Per partition key (`topic:partition`), the last offset the projector has in ClickHouse. */
export type ProjectorPosition = ReadonlyMap<string, bigint>;

export interface ProjectorService {
  readonly counters: ProjectorCounters;
  /** Where the projector stands now (a lower bound: it only moves forward). Empty before start. */
  position(): ProjectorPosition;
  /**
   * Runs `work` between two groups, no group being written and none written until it settles (the
   * rebuild's switch). `work` gets the exact position. Rejects when the projector is not started.
   */
  whilePaused<T>(work: (position: ProjectorPosition) => Promise<T>): Promise<T>;
  /** Recovers from sink_offsets and the committed offsets, then consumes until stopped. */
  start(): Promise<void>;
  /** Leaves the group and disconnects; safe to call whatever start got to. */
  stop(): Promise<void>;
}

/**
 * The projector: events.changes (winners and retractions) and events.dlq into ClickHouse, exactly
 * once (README "Guarantees", 4). The wiring of its steps, written once for its own main and for
 * the all-in-one process.
 */
export function createProjectorService(config: ProjectorConfig, deps: ProjectorDeps): ProjectorService {
  const { kafka, writer, codecs, log } = deps;
  const topics = config.topics;
  const inputTopics = [topics.changes, topics.deadLetter];
  const counters = emptyCounters();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  let sink: GroupSink | undefined;
  const gate = createFlushGate();

  return {
    counters,
    position: () => sink?.state().appliedUpTo ?? new Map(),
    whilePaused(work) {
      const running = sink;
      if (!running) return Promise.reject(new Error('the projector is not started'));
      return gate.hold(() => work(running.state().appliedUpTo));
    },
    async start() {
      const state = await loadSinkState(writer, kafka, {
        groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
        topics: inputTopics,
      });
      if (state.unappliedGroup)
        log.info(
          { token: groupToken(state.unappliedGroup) },
          'the last recorded group may be unapplied; re-forming it',
        );
      producer = createIdempotentProducer(kafka);
      await producer.connect();
      const connected = producer;
      consumer = createProjectorConsumer(kafka, {
        groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
        sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      });
      const committer = consumer;
      const retry = createRetryWithHeartbeat(log, deps.retry ?? PROJECTOR_RETRY);
      const applyGroup = createApplyGroupStep({
        writer,
        decodeGroup: createDecodeGroupStep({
          codecs,
          topics,
          badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
          log,
        }),
        codecs,
        topics,
        publish: (topicMessages) => connected.sendBatch({ topicMessages }),
        commitOffsets: (offsets) => committer.commitOffsets(offsets),
        retry,
        log,
        metrics: deps.metrics,
        onOutcomes: deps.onOutcomes,
      });
      const groupSink = createGroupSink({
        state,
        writer,
        applyGroup,
        retry,
        log,
        counters,
        metrics: deps.metrics,
      });
      sink = groupSink;
      await runProjectorConsumer(consumer, {
        topics: inputTopics,
        flush: (batches) => gate.pass(batches[0]?.heartbeat, () => groupSink.flush(batches)),
      });
    },
    async stop() {
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
