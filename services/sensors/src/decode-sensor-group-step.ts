import { ok, type StepResult } from '@shopfloor/contracts';
import {
  type BadRecordPolicy,
  type DecodedRecord,
  decodeGroupRanges,
  decodeRange,
  type GroupRange,
  type RangeGroup,
} from '@shopfloor/group-projector';
import type { ConsumedMessage } from '@shopfloor/kafka';
import {
  type ProcessedReadingBatchRecord,
  SENSOR_WIRE_VERSION,
  type SensorDeadLetterRecord,
} from '@shopfloor/sensors';
import type { Logger } from 'pino';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { DecodedSensorGroup } from './sensor-projection.ts';
import type { SensorTopics } from './sensor-topics.ts';

export type DecodedSensorRecords = DecodedSensorGroup & {
  /** Undecodable records to park on sensor.dlq (none from sensor.dlq itself: those are only logged). */
  parked: { key: ConsumedMessage['key']; record: SensorDeadLetterRecord }[];
  /** Every record that did not decode (parked or only logged). */
  undecodable: number;
};

/**
 * Decodes every record of a group through its topic's codec (which never throws), in a fixed order
 * (partition key, then offset). A record that does not decode follows the bad-record policy:
 * `stop` fails the group (nothing is applied or committed), `dead-letter` parks it on sensor.dlq
 * with reason UNDECODABLE_RECORD and applies the rest.
 */
export function createDecodeSensorGroupStep(deps: {
  codecs: SensorCodecs;
  topics: SensorTopics;
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
}) {
  const { codecs, topics, badRecordPolicy, log } = deps;
  return async function decodeSensorGroup(group: RangeGroup): Promise<StepResult<DecodedSensorRecords>> {
    const out: DecodedSensorRecords = {
      processed: [],
      alerts: [],
      resolutions: [],
      deadLetters: [],
      parked: [],
      undecodable: 0,
    };
    // A batch record is expanded: each decision, in its order, with the offset and time of the record.
    const decodeBatches = async (range: GroupRange) => {
      const batches: DecodedRecord<ProcessedReadingBatchRecord>[] = [];
      const failed = await decodeRange(range, codecs.processedBatches, batches);
      for (const { value, offset, timestamp } of batches)
        for (const reading of value.readings) out.processed.push({ value: reading, offset, timestamp });
      return failed;
    };
    const decoded = await decodeGroupRanges(
      group,
      badRecordPolicy,
      (range) =>
        range.topic === topics.processedBatches
          ? decodeBatches(range)
          : range.topic === topics.processed
            ? decodeRange(range, codecs.processed, out.processed)
            : range.topic === topics.alerts
              ? decodeRange(range, codecs.alerts, out.alerts)
              : range.topic === topics.resolutions
                ? decodeRange(range, codecs.resolutions, out.resolutions)
                : decodeRange(range, codecs.deadLetter, out.deadLetters),
      ({ range, message, error, where }) => {
        out.undecodable++;
        log.warn({ where, error }, 'undecodable record skipped by the sensor projector');
        if (range.topic === topics.deadLetter) return;
        out.parked.push({
          key: message.key,
          record: {
            v: SENSOR_WIRE_VERSION,
            batchId: null,
            seq: null,
            batchSize: null,
            receivedAt: Number(message.timestamp),
            readingId: null,
            reason: 'UNDECODABLE_RECORD',
            message: `${where}: ${error}`,
            payloadJson: message.value?.toString('utf8') ?? '',
          },
        });
      },
    );
    return decoded.kind === 'ok' ? ok(out) : decoded;
  };
}
