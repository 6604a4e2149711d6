import { readFileSync } from 'node:fs';
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
import { registerRecordCodecs } from '@shopfloor/schema-registry';
import type { MetricTopics } from './metric-topics.ts';

/** The codec of every topic value of the stream (the platform's `RecordCodec`). */
export interface MetricCodecs {
  raw: RecordCodec<RawMetricEventRecord>;
  state: RecordCodec<MetricStateRecord>;
  processed: RecordCodec<ProcessedMetricEventRecord>;
  failed: RecordCodec<FailedMetricEventRecord>;
}

/** The checked-in schema of each topic value (packages/contracts/avro). */
export const METRIC_AVRO_FILES: Record<keyof MetricCodecs, string> = {
  raw: 'metric-raw-event-record.avsc',
  state: 'metric-state-record.avsc',
  processed: 'metric-processed-event-record.avsc',
  failed: 'metric-failed-event-record.avsc',
};

export function loadMetricAvroSchema(kind: keyof MetricCodecs): object {
  const url = new URL(`../../../packages/contracts/avro/${METRIC_AVRO_FILES[kind]}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as object;
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
  const codecs = await registerRecordCodecs({
    url: options.url,
    kinds: Object.keys(METRIC_AVRO_FILES) as (keyof MetricCodecs)[],
    specOf: (kind) => ({ topic: options.topics[kind], schema: loadMetricAvroSchema(kind) }),
    log: options.log,
  });
  return codecs as unknown as MetricCodecs;
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
