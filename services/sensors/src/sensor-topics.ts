import type { ShopfloorConfig } from '@shopfloor/config';
import { topicsUnder } from '@shopfloor/contracts';
import {
  keptForeverTopic,
  stateChangelogTopic,
  type TopicSpec,
  withLargeMessages,
  writeOnceStateTopic,
} from '@shopfloor/kafka';

/** The topics of the sensor-readings stream (one prefix for all, like the events pipeline's). */
export type SensorTopics = {
  /** Every accepted reading, key equipmentId: one processor owns a piece of equipment's windows. */
  raw: string;
  /**
   * Compacted changelog of the processor's windows, co-partitioned with raw (and, in records
   * written before `identities` existed, seen reading ids: still read on a restore).
   */
  state: string;
  /**
   * The processor's seen reading ids, co-partitioned with raw: without a state horizon one record
   * per transaction and partition holds the ids it saw first (never superseded, so not compacted);
   * with one, one record per accepted reading, compacted, so that its tombstone reclaims it.
   */
  identities: string;
  /**
   * The processor's decisions before `processedBatches` (one `ProcessedReadingRecord` per reading,
   * key equipmentId): no longer written, still read by the readings projector (a rebuild replays it).
   */
  processed: string;
  /** The processor's decisions, one `ProcessedReadingBatchRecord` per partition batch (no key): what the projection reads. */
  processedBatches: string;
  /** Alerts raised, key equipmentId, written in the processor's transaction. */
  alerts: string;
  /** Alert resolutions (an event in the log, so a rebuild keeps them), key alertId. */
  resolutions: string;
  /** Rejected readings and records the processor could not decode. */
  deadLetter: string;
};

export function sensorTopics(prefix = ''): SensorTopics {
  return topicsUnder(prefix, {
    raw: 'sensor.readings.raw',
    state: 'sensor.state',
    identities: 'sensor.reading-identities',
    processed: 'sensor.readings',
    processedBatches: 'sensor.reading-batches',
    alerts: 'sensor.alerts',
    resolutions: 'sensor.alert-resolutions',
    deadLetter: 'sensor.dlq',
  });
}

/**
 * raw, state, identities, processed, processedBatches and alerts share the partition count: the
 * processor writes to the input's partition. `horizon`: whether a state horizon drops old reading
 * ids (then `identities` is compacted, so their tombstones reclaim them).
 */
export function sensorTopicSpecs(
  names: SensorTopics,
  partitions: number,
  options: { horizon: boolean } = { horizon: false },
): TopicSpec[] {
  // The projection is rebuilt from processedBatches, processed, alerts, resolutions and dlq; raw is
  // the record of what was sent. Every topic takes a processor's or the webhook's bulk writes.
  return [
    keptForeverTopic(names.raw, partitions),
    stateChangelogTopic(names.state, partitions),
    writeOnceStateTopic(names.identities, partitions, options.horizon),
    keptForeverTopic(names.processed, partitions),
    keptForeverTopic(names.processedBatches, partitions),
    keptForeverTopic(names.alerts, partitions),
    keptForeverTopic(names.resolutions, 1),
    keptForeverTopic(names.deadLetter, 1),
  ].map(withLargeMessages);
}

/**
 * The sensor topics as the configuration declares them: every process that creates them (the
 * all-in-one's infrastructure, the sensor service, the sensors main) asks for the same specs, so
 * none of them alters the identities topic's cleanup policy back and forth.
 */
export function sensorTopicSpecsOf(
  names: SensorTopics,
  config: Pick<ShopfloorConfig, 'SHOPFLOOR_SENSOR_PARTITIONS' | 'sensors'>,
): TopicSpec[] {
  return sensorTopicSpecs(names, config.SHOPFLOOR_SENSOR_PARTITIONS, {
    horizon: config.sensors.stateHorizon !== undefined,
  });
}
