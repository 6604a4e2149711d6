import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseReader, ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { RebuildStream } from '@shopfloor/group-projector';
import { acknowledgedWithin, type HttpRoutes, OutcomeTracker } from '@shopfloor/http-kit';
import {
  ensureTopics,
  firstMemberStop,
  type KafkaClient,
  type MemberStop,
  renewingIdempotentProducer,
} from '@shopfloor/kafka';
import { noMetrics, type ProjectorMetrics, type SensorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createAlertResolver } from './alert-resolution.ts';
import { alertRoutes } from './alert-routes.ts';
import { lmdbIdentityStores } from './lmdb-identity-store.ts';
import { countedReadingSink, kafkaReadingSink } from './reading-publisher.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { SensorProjector } from './sensor-projector.ts';
import { createSensorProjectors, type SensorGroup } from './sensor-projectors.ts';
import { type SensorRunner, startSensorRunner } from './sensor-runner.ts';
import { type SensorTopics, sensorTopicSpecsOf, sensorTopics } from './sensor-topics.ts';
import { webhookRoutes } from './webhook-routes.ts';

/** How long start() waits for the processor member's first partitions. */
const JOIN_WAIT_MS = 15_000;

export type SensorServiceConfig = Pick<
  ShopfloorConfig,
  | 'SHOPFLOOR_TOPIC_PREFIX'
  | 'SHOPFLOOR_SENSOR_PARTITIONS'
  | 'SHOPFLOOR_SENSOR_GROUP'
  | 'SHOPFLOOR_SENSOR_PROJECTOR_GROUP'
  | 'SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
  | 'SHOPFLOOR_BAD_RECORD_POLICY'
  | 'SHOPFLOOR_MAX_BATCH_EVENTS'
  | 'SHOPFLOOR_SYNC_TIMEOUT_MS'
  | 'SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS'
  | 'SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS'
  | 'SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS'
  | 'sensors'
  | 'dirs'
>;

export type SensorServiceDeps = {
  kafka: KafkaClient;
  /** From `registrySensorCodecs` (Avro through the registry). */
  codecs: SensorCodecs;
  /** The embedded engine lives in one process: the sensor service runs in the ClickHouse owner. */
  writer: ClickHouseWriter;
  reader: ClickHouseReader;
  log: Logger;
  /**
   * Where the webhook, the processor and the projectors report (Prometheus; `projectorOf('sensor')`
   * and `projectorOf('sensor-alerts')`). Default: nowhere.
   */
  metrics?:
    | { sensor: SensorMetrics; projector: ProjectorMetrics; alertProjector: ProjectorMetrics }
    | undefined;
};

export interface SensorService {
  readonly topics: SensorTopics;
  /** The webhook, its job status and the alert resolution: register on an HttpApp. */
  readonly routes: HttpRoutes;
  /** The readings projector (readings, jobs, resolutions, dead letters: bulk groups). */
  readonly projector: SensorProjector;
  /** The alert projector (sensor.alerts in a group of its own, a group per fetch). */
  readonly alertProjector: SensorProjector;
  /** The processor's group, then the two projectors' (each checked against the log at start-up). */
  readonly consumerGroups: { processor: SensorGroup; projectors: SensorGroup[] };
  /** Its part of the rebuild of the ClickHouse projections (`shopfloor rebuild`): both projectors. */
  readonly rebuildStreams: RebuildStream[];
  /** The processor member, once started. */
  runner(): SensorRunner | undefined;
  /** Settles once the processor or a projector stopped for good (see exitWhenAMemberStops). */
  readonly stopped: Promise<MemberStop>;
  /** Creates the topics, connects the producer, starts the processor and the projector. */
  start(): Promise<void>;
  /** Stops what start got to, in reverse order. */
  stop(): Promise<void>;
}

/**
 * The sensor stream's wiring, written once: services/sensors' main and the all-in-one process both
 * call it. Ingest (webhook → sensor.readings.raw), the anomaly processor (consumer group, Kafka
 * transactions), the projector (topics → ClickHouse, exactly once) and the alert resolution.
 */
export function createSensorService(config: SensorServiceConfig, deps: SensorServiceDeps): SensorService {
  const { kafka, codecs, log } = deps;
  const metrics = deps.metrics ?? {
    sensor: noMetrics.sensor,
    projector: noMetrics.projector,
    alertProjector: noMetrics.projector,
  };
  const topics = sensorTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const outcomes = new OutcomeTracker();
  const producers = renewingIdempotentProducer(kafka);
  // Two projectors; a job's default answer waits for its readings and the alerts they raised.
  const { projector, alertProjector, groups, rebuildStreams } = createSensorProjectors(config, {
    kafka,
    writer: deps.writer,
    codecs,
    topics,
    log,
    metrics,
    deliver: (record) => outcomes.ingest(record),
    awaited: { awaited: () => outcomes.pending > 0, onAwaited: (listener) => outcomes.onExpect(listener) },
    memberIdDir: config.dirs.sensorState,
  });
  const resolve = createAlertResolver({
    reader: deps.reader,
    waitMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
    // Bounded like the webhook's publish: a broker outage is a 503 KAFKA_UNAVAILABLE (and a renewed
    // producer), not a 500 after kafkajs gives up.
    write: (record) =>
      acknowledgedWithin(
        config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS,
        async () => {
          const producer = await producers.get();
          await producer.sendBatch({
            acks: -1,
            topicMessages: [
              {
                topic: topics.resolutions,
                messages: [{ key: record.alertId, value: codecs.resolutions.encode(record) }],
              },
            ],
          });
        },
        () => producers.renew(),
      ),
  });
  const sink = countedReadingSink(
    kafkaReadingSink(producers, topics, codecs, config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS),
    metrics.sensor,
  );
  const stops: (() => Promise<unknown>)[] = [];
  let runner: SensorRunner | undefined;
  let runnerStarted!: (started: SensorRunner) => void;
  const stopped = firstMemberStop({
    'sensor processor': new Promise<SensorRunner>((resolve) => {
      runnerStarted = resolve;
    }).then((started) => started.stopped),
    'sensor projector': projector.stopped,
    'sensor alert projector': alertProjector.stopped,
  });

  const routes: HttpRoutes = async (app) => {
    await app.register(webhookRoutes, {
      maxReadings: config.SHOPFLOOR_MAX_BATCH_EVENTS,
      syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
      maxInflightReadings: config.SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS,
      stateHorizonMs: config.sensors.stateHorizon?.horizonMs,
      sink,
      outcomes,
      reader: deps.reader,
    });
    await app.register(alertRoutes, { resolve });
  };

  return {
    topics,
    routes,
    projector,
    alertProjector,
    consumerGroups: {
      processor: { groupId: config.SHOPFLOOR_SENSOR_GROUP, topics: [topics.raw] },
      projectors: groups,
    },
    rebuildStreams,
    runner: () => runner,
    stopped,
    async start() {
      await ensureTopics(kafka, sensorTopicSpecsOf(topics, config));
      await producers.get();
      stops.push(() => producers.disconnect());
      // Stopped after the runner (stops run in reverse): its partitions read them until then.
      const identities = lmdbIdentityStores(path.join(config.dirs.sensorState, 'identities'));
      stops.push(() => identities.close());
      runner = await startSensorRunner({
        kafka,
        codecs,
        topics,
        groupId: config.SHOPFLOOR_SENSOR_GROUP,
        partitions: config.SHOPFLOOR_SENSOR_PARTITIONS,
        detector: config.sensors.detector,
        horizon: config.sensors.stateHorizon,
        identities,
        log: log.child({ component: 'sensor-processor' }),
        sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
        // The windows live in memory and the seen identities in LMDB (both rebuilt from
        // sensor.state at every restore); the member id is kept on disk, so a restarted process
        // aborts the transaction its previous run left open at once.
        memberIdDir: config.dirs.sensorState,
        metrics: metrics.sensor,
      });
      const started = runner;
      runnerStarted(started);
      stops.push(() => started.stop());
      stops.push(() => projector.stop());
      stops.push(() => alertProjector.stop());
      await alertProjector.start();
      await projector.start();
      // /ready waits for the member's join and restore (eager, at the join): give them a moment,
      // bounded, so that /ready is right after start-up.
      const joinDeadline = Date.now() + JOIN_WAIT_MS;
      const restored = () => {
        const p = started.restoreProgress();
        return p.joined && p.pending.length === 0;
      };
      while (!restored() && Date.now() < joinDeadline) await sleep(50);
    },
    async stop() {
      for (const s of stops.splice(0).reverse()) {
        await s().catch((err: Error) =>
          log.warn({ err: err.message }, 'error while stopping the sensor service'),
        );
      }
    },
  };
}
