import type { DecisionKind } from '@shopfloor/contracts';

/**
 * What each service reports, as ports: the steps and runners call these (passed in their deps),
 * never a global registry. `noMetrics` reports nothing, for callers that do not export metrics.
 */
export interface GatewayMetrics {
  /** A batch is durable in Kafka: `published` valid events on events.raw, `rejectionReasons` on the dlq. */
  batchPublished(batch: { published: number; rejectionReasons: readonly string[] }): void;
  /** Events waiting for Kafka's acknowledgement across all requests. */
  inflightEvents(count: number): void;
}

export interface DedupeMetrics {
  /** A partition batch's transaction committed. */
  batchCommitted(batch: {
    records: number;
    decisions: readonly DecisionKind[];
    invalid: number;
    evicted: number;
    found: number;
    transactionSeconds: number;
  }): void;
  transactionFailed(phase: 'send' | 'commit'): void;
  /** One restore of the partitions that needed one. */
  stateRestored(restore: { records: number; seconds: number }): void;
  /** Where the state entries per held partition are read at scrape time. */
  sampleStateEntries(source: () => readonly { partition: number; entries: number }[]): void;
}

export type ProjectorTable =
  | 'sink_offsets'
  | 'event_changes'
  | 'rejected_events'
  | 'batch_events'
  | 'sensor_alerts'
  | 'sensor_readings'
  | 'sensor_alert_resolutions'
  | 'sensor_batch_readings';

export interface ProjectorMetrics {
  inserted(insert: { table: ProjectorTable; rows: number; seconds: number }): void;
  groupApplied(group: {
    partitions: number;
    records: number;
    invalidRecords: number;
    seconds: number;
    reapplied: boolean;
  }): void;
  /**
   * A fetch asked to be answered at its first record because exactly one request waited for this
   * projector's outcomes (in this process, or relayed from the split topology's gateway process).
   */
  awaitedFetch(): void;
}

/** A stream processor's own metrics (label `stream`); the events stream's dedupe feeds them too. */
export type StreamName = 'events' | 'sensor' | 'metric-events';
/** A projector's label: a stream's, or a lane of one (the sensor alerts have a projector of their own). */
export type ProjectorName = StreamName | 'sensor-alerts';

/** The partitions a processor member holds and those still restoring (its `restoreProgress()`). */
export type RestoreProgressSource = () => { assigned: readonly number[]; pending: readonly number[] };

export interface StreamProcessorMetrics {
  /** One restore of the partitions that needed one. */
  stateRestored(restore: { records: number; seconds: number }): void;
  /** Where the held and still-restoring partitions are read at scrape time. */
  sampleRestoreProgress(source: RestoreProgressSource): void;
}

/** The hops of an alert's path the sensor stream times (histogram label `stage`). */
export type AlertStage = 'committed' | 'recorded' | 'visible';

export interface SensorMetrics {
  /** A webhook job is durable: `published` readings on sensor.readings.raw, `rejectionReasons` on sensor.dlq. */
  readingsPublished(job: { published: number; rejectionReasons: readonly string[] }): void;
  /** A processor partition batch's transaction committed. */
  batchCommitted(batch: {
    accepted: number;
    duplicates: number;
    undecodable: number;
    alertSeverities: readonly string[];
  }): void;
  /**
   * How long after its reading's receivedAt an alert got this far: `committed` (the processor's
   * transaction), `recorded` (a projector holds it, its group recorded in sink_offsets, before its
   * insert), `visible` (inserted into ClickHouse by the projector).
   */
  alertReached(stage: AlertStage, seconds: number): void;
  readonly processor: StreamProcessorMetrics;
}

export interface MetricEventMetrics {
  /** A request is durable: `published` events on metric.events.raw, `rejectionReasons` on metric.events.failed. */
  eventsPublished(request: { published: number; rejectionReasons: readonly string[] }): void;
  /** A processor partition batch's transaction committed; `failed` are SIMULATED_FAILUREs. */
  batchCommitted(batch: { processed: number; duplicates: number; failed: number; undecodable: number }): void;
  readonly processor: StreamProcessorMetrics;
}

const nothing = () => {};
const noStreamProcessor: StreamProcessorMetrics = { stateRestored: nothing, sampleRestoreProgress: nothing };

export const noMetrics: {
  gateway: GatewayMetrics;
  dedupe: DedupeMetrics;
  projector: ProjectorMetrics;
  sensor: SensorMetrics;
  metricEvents: MetricEventMetrics;
} = {
  gateway: { batchPublished: nothing, inflightEvents: nothing },
  dedupe: {
    batchCommitted: nothing,
    transactionFailed: nothing,
    stateRestored: nothing,
    sampleStateEntries: nothing,
  },
  projector: { inserted: nothing, groupApplied: nothing, awaitedFetch: nothing },
  sensor: {
    readingsPublished: nothing,
    batchCommitted: nothing,
    alertReached: nothing,
    processor: noStreamProcessor,
  },
  metricEvents: { eventsPublished: nothing, batchCommitted: nothing, processor: noStreamProcessor },
};
