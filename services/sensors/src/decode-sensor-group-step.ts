import { dlq, ok, type StepResult } from '@shopfloor/contracts';
import type { ConsumedMessage, RecordCodec } from '@shopfloor/kafka';
import type { BadRecordPolicy, DecodedRecord, GroupRange, RangeGroup } from '@shopfloor/projector';
import { SENSOR_WIRE_VERSION, type SensorDeadLetterRecord } from '@shopfloor/sensors';
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
    for (const key of [...group.ranges.keys()].sort()) {
      const range = group.ranges.get(key)!;
      const failed =
        range.topic === topics.processed
          ? await decodeRange(range, codecs.processed, out.processed)
          : range.topic === topics.alerts
            ? await decodeRange(range, codecs.alerts, out.alerts)
            : range.topic === topics.resolutions
              ? await decodeRange(range, codecs.resolutions, out.resolutions)
              : await decodeRange(range, codecs.deadLetter, out.deadLetters);
      for (const { message, error } of failed) {
        const where = `${range.topic}[${range.partition}]@${message.offset}`;
        if (badRecordPolicy === 'stop') return dlq(`undecodable record at ${where}: ${error}`);
        out.undecodable++;
        log.warn({ where, error }, 'undecodable record skipped by the sensor projector');
        if (range.topic === topics.deadLetter) continue;
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
      }
    }
    return ok(out);
  };
}

async function decodeRange<T>(
  range: GroupRange,
  codec: RecordCodec<T>,
  into: DecodedRecord<T>[],
): Promise<{ message: ConsumedMessage; error: string }[]> {
  const failed: { message: ConsumedMessage; error: string }[] = [];
  for (const message of range.messages) {
    const result = await codec.decode(message.value);
    if (result.ok)
      into.push({ value: result.value, offset: message.offset, timestamp: Number(message.timestamp) });
    else failed.push({ message, error: result.error });
  }
  return failed;
}
