import { type MachineEvent, machineEventSchema, type ReceivedEvent, toReceivedEvent } from './event.ts';
import { type BatchPosition, decoder, epochMs, type Flat, positionedRecord } from './wire-common.ts';

// ---- events.raw (key: eventId) ------------------------------------------------------------------

/** An event accepted for processing, exactly as received, with the gateway's receive time. */
export type RawEventRecord = Flat<BatchPosition & { v: 1; receivedAt: number; event: MachineEvent }>;

export const rawEventRecordSchema = positionedRecord({ receivedAt: epochMs, event: machineEventSchema });

export const decodeRawEventRecord = decoder<RawEventRecord>(rawEventRecordSchema);

export function rawEventRecordFor(pos: BatchPosition, received: ReceivedEvent): RawEventRecord {
  // Field by field, not spread: one per accepted event on the gateway's hot path.
  return {
    v: 1,
    batchId: pos.batchId,
    seq: pos.seq,
    batchSize: pos.batchSize,
    receivedAt: received.receivedAt,
    event: received.event,
  };
}

/** The `ReceivedEvent` a decoded raw record stands for. */
export function receivedEventOf(record: RawEventRecord): ReceivedEvent {
  return toReceivedEvent(record.event, record.receivedAt);
}
