import { dlq, ok, type StepResult } from '@shopfloor/contracts';
import type { ConsumedMessage, RecordCodec } from '@shopfloor/kafka';
import type { GroupRange, RangeGroup } from './range-group.ts';

/** What a stream does with a record its codec cannot decode (SHOPFLOOR_BAD_RECORD_POLICY). */
export type BadRecordPolicy = 'dead-letter' | 'stop';

/** A decoded record with what the projection needs of its Kafka envelope. */
export type DecodedRecord<T> = { value: T; offset: string; timestamp: number };

/** A record of a group that its topic's codec did not decode. */
export type UndecodableRecord = {
  range: GroupRange;
  message: ConsumedMessage;
  error: string;
  /** `topic[partition]@offset`, for logs and dead letters. */
  where: string;
};

/** Decodes a range into `into` through its topic's codec (which never throws); returns the failures. */
export async function decodeRange<T>(
  range: GroupRange,
  codec: RecordCodec<T>,
  into: DecodedRecord<T>[],
): Promise<{ message: ConsumedMessage; error: string }[]> {
  const results = await Promise.all(range.messages.map((m) => codec.decode(m.value)));
  const failed: { message: ConsumedMessage; error: string }[] = [];
  results.forEach((result, i) => {
    const message = range.messages[i]!;
    if (result.ok)
      into.push({ value: result.value, offset: message.offset, timestamp: Number(message.timestamp) });
    else failed.push({ message, error: result.error });
  });
  return failed;
}

/**
 * Decodes every range of a group in a fixed order (partition key, then offset) with `decodeOne`
 * (the stream's choice of codec and list per topic), then applies the bad-record policy to what
 * did not decode: `stop` fails the group (`dlq`: nothing is applied or committed), `dead-letter`
 * hands each record to `skip` (the stream logs and parks it) and the rest is applied.
 */
export async function decodeGroupRanges(
  group: RangeGroup,
  badRecordPolicy: BadRecordPolicy,
  decodeOne: (range: GroupRange) => Promise<{ message: ConsumedMessage; error: string }[]>,
  skip: (record: UndecodableRecord) => void,
): Promise<StepResult<null>> {
  for (const key of [...group.ranges.keys()].sort()) {
    const range = group.ranges.get(key)!;
    for (const { message, error } of await decodeOne(range)) {
      const where = `${range.topic}[${range.partition}]@${message.offset}`;
      if (badRecordPolicy === 'stop') return dlq(`undecodable record at ${where}: ${error}`);
      skip({ range, message, error, where });
    }
  }
  return ok(null);
}
