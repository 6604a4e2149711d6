import { z } from 'zod';
import { type RejectionReason, rejectionReasonSchema } from './rejection-reasons.ts';
import type { ValidationFailure } from './validation.ts';
import { type BatchPosition, decoder, epochMs, type Flat, positionedRecord } from './wire-common.ts';

// ---- events.dlq (key: batchId) ------------------------------------------------------------------

/**
 * A rejected event: why, and what the machine sent. `payloadJson` is the JSON text of the element
 * exactly as it was in the request body (the Avro record carries only that); `payload` is the same
 * value parsed, for readers that want the value.
 */
export type DeadLetterRecord = Flat<
  BatchPosition & {
    v: 1;
    receivedAt: number;
    eventId: string | null;
    reason: RejectionReason;
    message: string;
    payload: unknown;
    payloadJson: string;
  }
>;

/** JSON text of a parsed value, for a sender whose exact text is not at hand. */
const jsonTextOf = (value: unknown) => JSON.stringify(value) ?? 'null';

export const deadLetterRecordSchema = positionedRecord({
  receivedAt: epochMs,
  eventId: z.string().nullable(),
  reason: rejectionReasonSchema,
  message: z.string(),
  payload: z.unknown(),
  // JSON-era records had no payloadJson: their text is the parsed payload serialized again.
  payloadJson: z.string().optional(),
}).transform((r) => ({ ...r, payloadJson: r.payloadJson ?? jsonTextOf(r.payload) }));

export const decodeDeadLetterRecord = decoder<DeadLetterRecord>(deadLetterRecordSchema);

/**
 * The dead letter of a rejected element. Pass `payloadJson`, the element's exact text in the request
 * body, to keep the bytes the machine sent; without it the parsed value is serialized again.
 */
export function deadLetterRecordFor(
  pos: BatchPosition,
  receivedAt: number,
  failure: ValidationFailure,
  payload: unknown,
  payloadJson: string = jsonTextOf(payload),
): DeadLetterRecord {
  const { eventId, reason, message } = failure;
  return { v: 1, ...pos, receivedAt, eventId, reason, message, payload, payloadJson };
}
