import { loadMetricAvroSchema, METRIC_AVRO_SCHEMA_FILES } from '@shopfloor/contracts';
import { jsonRecordCodec, type RecordCodec } from '@shopfloor/kafka';
import {
  decodeFailedMetricEventRecord,
  decodeMetricStateRecord,
  decodeProcessedMetricEventRecord,
  decodeRawMetricEventRecord,
  type FailedMetricEventRecord,
  type MetricStateRecord,
  type ProcessedMetricEventRecord,
  type RawMetricEventRecord,
} from '@shopfloor/metric-events';
import { registryCodecsOf } from '@shopfloor/schema-registry';
import type { MetricTopics } from './metric-topics.ts';

/** The codec of every topic value of the stream (the platform's `RecordCodec`). */
export interface MetricCodecs {
  raw: RecordCodec<RawMetricEventRecord>;
  state: RecordCodec<MetricStateRecord>;
  processed: RecordCodec<ProcessedMetricEventRecord>;
  failed: RecordCodec<FailedMetricEventRecord>;
}

/**
 * Avro codecs through the schema registry (subjects `<topic>-value`, FULL_TRANSITIVE), registered
 * before they are handed out: what the service runs with.
 */
export async function registryMetricCodecs(options: {
  url: string;
  topics: MetricTopics;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}): Promise<MetricCodecs> {
  return registryCodecsOf<MetricCodecs>({
    url: options.url,
    files: METRIC_AVRO_SCHEMA_FILES,
    load: loadMetricAvroSchema,
    topics: options.topics,
    log: options.log,
  });
}

/** JSON codecs checked by the records' zod decoders: for the unit tests of the steps. */
export function jsonMetricCodecs(): MetricCodecs {
  return {
    raw: jsonRecordCodec(decodeRawMetricEventRecord),
    state: jsonRecordCodec(decodeMetricStateRecord),
    processed: jsonRecordCodec(decodeProcessedMetricEventRecord),
    failed: jsonRecordCodec(decodeFailedMetricEventRecord),
  };
}
