import { dlq, type InvalidRecord, ok, type RawEventRecord, type StepResult } from '@shopfloor/contracts';
import type { RecordCodec } from '@shopfloor/kafka';
import type { RawMessage } from '@shopfloor/stream-runner';

/** What a consumer does with a raw record it cannot decode (SHOPFLOOR_BAD_RECORD_POLICY). */
export type BadRecordPolicy = 'dead-letter' | 'stop';

/** An undecodable record on its way to events.invalid, under the key it was read with. */
export type ParkedRecord = { key: Buffer | null; record: InvalidRecord };

export type DecodedRawBatch = { records: RawEventRecord[]; invalid: ParkedRecord[] };

/** One raw record: ok with the record, or dlq with why its bytes are not one. */
export function createDecodeRawRecordStep(deps: { codec: RecordCodec<RawEventRecord> }) {
  return async function decodeRawRecord(message: RawMessage): Promise<StepResult<RawEventRecord>> {
    const decoded = await deps.codec.decode(message.value);
    return decoded.ok ? ok(decoded.value) : dlq(decoded.error);
  };
}

/**
 * One partition batch of events.raw: the records to decide, and the undecodable ones parked for
 * events.invalid (policy `dead-letter`). With the policy `stop`, an undecodable record makes the
 * whole batch a dlq naming where it is, and the runner stops there: a configured outcome, so
 * nothing of the batch is decided or committed.
 */
export function createDecodeRawBatchStep(deps: {
  codec: RecordCodec<RawEventRecord>;
  policy: BadRecordPolicy;
  /** The topic the batch was read from, named in the parked records. */
  topic: string;
}) {
  const decodeRawRecord = createDecodeRawRecordStep(deps);
  return async function decodeRawBatch(
    partition: number,
    messages: readonly RawMessage[],
  ): Promise<StepResult<DecodedRawBatch>> {
    const results = await Promise.all(messages.map(decodeRawRecord));
    const batch: DecodedRawBatch = { records: [], invalid: [] };
    for (const [i, result] of results.entries()) {
      const message = messages[i]!;
      if (result.kind === 'ok') {
        batch.records.push(result.value);
        continue;
      }
      const reason = result.kind === 'dlq' ? result.reason : `dropped: ${result.reason}`;
      if (deps.policy === 'stop') {
        return dlq(
          `undecodable record at ${deps.topic} partition ${partition} offset ${message.offset}: ${reason}`,
        );
      }
      batch.invalid.push({
        key: message.key ?? null,
        record: {
          v: 1,
          topic: deps.topic,
          partition,
          offset: message.offset,
          error: reason,
          value: message.value,
        },
      });
    }
    return ok(batch);
  };
}

export type DecodeRawBatch = ReturnType<typeof createDecodeRawBatchStep>;
