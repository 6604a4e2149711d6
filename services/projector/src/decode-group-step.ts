import {
  type ChangeBatchRecord,
  type ChangeRecord,
  type DeadLetterRecord,
  type InvalidRecord,
  ok,
  type StepResult,
} from '@shopfloor/contracts';
import {
  type BadRecordPolicy,
  type DecodedRecord,
  decodeGroupRanges,
  decodeRange,
  type RangeGroup,
} from '@shopfloor/group-projector';
import type { ConsumedMessage, ShopfloorCodecs } from '@shopfloor/kafka';
import type { Logger } from 'pino';

/**
 * A group's records as values, in a fixed order (partition key, then offset). A change batch record
 * is expanded: each of its changes, in its order, with the offset and timestamp of the record.
 */
export type DecodedGroup = {
  changes: DecodedRecord<ChangeRecord>[];
  deadLetters: DecodedRecord<DeadLetterRecord>[];
  /** Records that did not decode, to be parked on events.invalid with their key. */
  invalid: { key: ConsumedMessage['key']; record: InvalidRecord }[];
};

export type DecodeGroupDeps = {
  codecs: Pick<ShopfloorCodecs, 'changes' | 'deadLetter'>;
  topics: { changes: string; deadLetter: string };
  /**
   * An undecodable record is a bug or a foreign writer, never data to guess at. `dead-letter`: it
   * is parked on events.invalid and skipped (logged as a warning). `stop`: the group is not applied
   * (`dlq`), so the projector stops there without committing, until the record is dealt with.
   */
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
};

/** Decodes every record of a group through the topic codecs (which never throw). */
export function createDecodeGroupStep(deps: DecodeGroupDeps) {
  const { codecs, topics, badRecordPolicy, log } = deps;
  return async function decodeGroup(group: RangeGroup): Promise<StepResult<DecodedGroup>> {
    const out: DecodedGroup = { changes: [], deadLetters: [], invalid: [] };
    const batches: DecodedRecord<ChangeBatchRecord>[] = [];
    const decoded = await decodeGroupRanges(
      group,
      badRecordPolicy,
      async (range) => {
        if (range.topic !== topics.changes) return decodeRange(range, codecs.deadLetter, out.deadLetters);
        batches.length = 0;
        const failed = await decodeRange(range, codecs.changes, batches);
        for (const { value, offset, timestamp } of batches)
          for (const change of value.changes) out.changes.push({ value: change, offset, timestamp });
        return failed;
      },
      ({ range, message, error }) => {
        log.warn(
          { topic: range.topic, partition: range.partition, offset: message.offset, error },
          'undecodable record skipped by the projector and sent to the invalid topic',
        );
        out.invalid.push({
          key: message.key,
          record: {
            v: 1,
            topic: range.topic,
            partition: range.partition,
            offset: message.offset,
            error,
            value: message.value,
          },
        });
      },
    );
    return decoded.kind === 'ok' ? ok(out) : decoded;
  };
}
