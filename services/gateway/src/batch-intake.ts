import {
  deadLetterRecordFor,
  rawEventRecordFor,
  validateEvent,
  type DeadLetterRecord,
  type RawEventRecord,
} from '@shopfloor/contracts';

export type BatchIntake = {
  batchId: string;
  receivedAt: number;
  raw: RawEventRecord[];
  rejected: DeadLetterRecord[];
};

/** Validates every event of a posted batch and stamps them with one receive time. Pure. */
export function intakeBatch(batchId: string, events: readonly unknown[], receivedAt: number): BatchIntake {
  const raw: RawEventRecord[] = [];
  const rejected: DeadLetterRecord[] = [];
  const batchSize = events.length;
  events.forEach((input, seq) => {
    const pos = { batchId, seq, batchSize };
    const result = validateEvent(input, receivedAt);
    if (result.ok) raw.push(rawEventRecordFor(pos, { ...result.value, receivedAt }));
    else rejected.push(deadLetterRecordFor(pos, receivedAt, result, input));
  });
  return { batchId, receivedAt, raw, rejected };
}
