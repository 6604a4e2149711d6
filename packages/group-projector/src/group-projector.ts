import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import {
  type Consumer,
  consumerStopped,
  createIdempotentProducer,
  type KafkaClient,
  loadMemberId,
  type Producer,
  type RetryOptions,
} from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type { ApplyGroup, GroupProjectorIo } from './apply-group.ts';
import { createFlushGate } from './flush-gate.ts';
import { createGroupSink, emptyCounters, type GroupSink, type ProjectorCounters } from './group-sink.ts';
import { loadSinkState } from './load-sink-state.ts';
import {
  createProjectorConsumer,
  type OutcomeDemand,
  type ProjectorGrouping,
  runProjectorConsumer,
} from './projector-runner.ts';
import { groupToken } from './range-group.ts';
import { createRetryWithHeartbeat, PROJECTOR_RETRY } from './retry-with-heartbeat.ts';

export type GroupProjectorOptions = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  log: Logger;
  groupId: string;
  sessionTimeoutMs: number;
  /** The topics it reads (what its sink_offsets rows and committed offsets are about). */
  inputTopics: readonly string[];
  /** Whether the apply step publishes (then an idempotent producer is connected at start). */
  publishes: boolean;
  /** The stream's own part: how a recorded group is applied. */
  createApplyGroup: (io: GroupProjectorIo) => ApplyGroup;
  /** Names the stream in the log line about a re-formed group. */
  name: string;
  /** How writes are retried; the default rides out about 35 s of an outage. */
  retry?: RetryOptions | undefined;
  metrics?: ProjectorMetrics | undefined;
  /** `immediate`: a group per fetch, fetches answered at the first record. Default `bulk`. */
  grouping?: ProjectorGrouping | undefined;
  /**
   * Whether a request of this process waits for the outcomes: a bulk projector's fetches are then
   * answered at the first record, and with `idleWindowMs` its groups gather longer while none does.
   */
  demand?: OutcomeDemand | undefined;
  /**
   * The process's state directory, where its member id is kept (loadMemberId of @shopfloor/kafka):
   * the consumer's static group instance id, so a restarted projector takes its dead self's place
   * and partitions back at once instead of waiting out its session. Unset: a dynamic member.
   */
  memberIdDir?: string | undefined;
};

/** Per partition key (`topic:partition`), the last offset the projector has in ClickHouse. */
export type ProjectorPosition = ReadonlyMap<string, bigint>;

export interface GroupProjector {
  readonly counters: ProjectorCounters;
  readonly inputTopics: readonly string[];
  /** Where the projector stands now (a lower bound: it only moves forward). Empty before start. */
  position(): ProjectorPosition;
  /**
   * Runs `work` between two groups, no group being written and none written until it settles (the
   * rebuild's switch). `work` gets the exact position. Rejects when the projector is not started.
   */
  whilePaused<T>(work: (position: ProjectorPosition) => Promise<T>): Promise<T>;
  /** Recovers from sink_offsets and the committed offsets, then consumes until stopped. */
  start(): Promise<void>;
  /** Settles with the reason once its consumer stopped on its own: the `stop` policy, a fatal failure. */
  readonly stopped: Promise<Error>;
  /** Leaves the group and disconnects; safe to call whatever start got to. */
  stop(): Promise<void>;
}

/**
 * The exactly-once projector wiring every stream shares, after the ClickHouse Kafka Connect sink:
 * sink recovery (sink_offsets + committed offsets -> the group that may be unapplied), the
 * group-commit consumer, the group sink that records a group before applying it, retries that
 * heartbeat. Only the apply step is the stream's; sink_offsets rows are per input topic, so the
 * streams' projectors share the table without meeting.
 */
export function createGroupProjector(options: GroupProjectorOptions): GroupProjector {
  const { kafka, writer, log, groupId, inputTopics } = options;
  const counters = emptyCounters();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  let sink: GroupSink | undefined;
  let detachDemand = () => {};
  const gate = createFlushGate();
  let markStopped!: (reason: Error) => void;
  const stopped = new Promise<Error>((resolve) => {
    markStopped = resolve;
  });

  return {
    counters,
    stopped,
    inputTopics,
    position: () => sink?.state().appliedUpTo ?? new Map(),
    whilePaused(work) {
      const running = sink;
      if (!running) return Promise.reject(new Error(`the ${options.name} projector is not started`));
      return gate.hold(() => work(running.state().appliedUpTo));
    },
    async start() {
      const state = await loadSinkState(writer, kafka, { groupId, topics: inputTopics });
      if (state.unappliedGroup)
        log.info(
          { token: groupToken(state.unappliedGroup), projector: options.name },
          'the last recorded group may be unapplied; re-forming it',
        );
      if (options.publishes) {
        producer = createIdempotentProducer(kafka);
        await producer.connect();
      }
      const connected = producer;
      consumer = createProjectorConsumer(kafka, {
        groupId,
        sessionTimeoutMs: options.sessionTimeoutMs,
        grouping: options.grouping,
        demand: options.demand,
        groupInstanceId: options.memberIdDir ? loadMemberId(options.memberIdDir) : undefined,
        metrics: options.metrics,
      });
      const committer = consumer;
      void consumerStopped(consumer).then((reason) => {
        log.error({ err: reason }, `${options.name} projector consumer stopped`);
        markStopped(reason);
      });
      const retry = createRetryWithHeartbeat(log, options.retry ?? PROJECTOR_RETRY);
      const applyGroup = options.createApplyGroup({
        publish: (topicMessages) => {
          if (!connected) throw new Error(`the ${options.name} projector was created without a producer`);
          return connected.sendBatch({ topicMessages });
        },
        commitOffsets: (offsets) => committer.commitOffsets(offsets),
        retry,
      });
      const groupSink = createGroupSink({
        state,
        writer,
        applyGroup,
        retry,
        log,
        counters,
        metrics: options.metrics,
      });
      sink = groupSink;
      detachDemand = await runProjectorConsumer(consumer, {
        topics: inputTopics,
        grouping: options.grouping,
        demand: options.demand,
        flush: (batches) => gate.pass(batches[0]?.heartbeat, () => groupSink.flush(batches)),
      });
    },
    async stop() {
      detachDemand();
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
