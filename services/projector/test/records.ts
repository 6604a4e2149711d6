// Builders of the events stream's records (changes, dead letters) for the projector's unit tests.
import type { ChangeRecord, DeadLetterRecord } from '@shopfloor/contracts';
import { message } from '@shopfloor/group-projector/testing';
import { jsonCodecs } from '@shopfloor/kafka';

export const codecs = jsonCodecs();

export function changeRecord(batchId: string, seq: number, eventId = `E-${batchId}-${seq}`): ChangeRecord {
  return {
    v: 1,
    batchId,
    seq,
    batchSize: 3,
    eventId,
    decision: 'accepted',
    rows: [
      {
        sign: 1,
        eventId,
        eventTimeMs: 1_767_265_140_123 + seq,
        machineId: 'M-1',
        lineId: 'L-1',
        factoryId: 'F-1',
        durationMs: 100,
        defectCount: 2,
        receivedAt: 1_767_268_800_000,
        version: 1,
      },
    ],
  };
}

export function deadLetterRecord(batchId: string, seq: number): DeadLetterRecord {
  return {
    v: 1,
    batchId,
    seq,
    batchSize: 3,
    receivedAt: 1_767_268_800_000,
    eventId: `E-${batchId}-${seq}`,
    reason: 'INVALID_DURATION',
    message: 'durationMs must be between 0 and 21600000 (6 h), got -1',
    payload: { eventId: `E-${batchId}-${seq}`, durationMs: -1 },
    payloadJson: `{"eventId":"E-${batchId}-${seq}","durationMs":-1}`,
  };
}

/** A change batch record holding one change. */
export const changeMessage = (offset: number, record: ChangeRecord) => changeBatchMessage(offset, [record]);
/** A change batch record holding `records`, as one dedupe transaction writes them. */
export const changeBatchMessage = (offset: number, records: ChangeRecord[]) =>
  message(offset, codecs.changes.encode({ v: 1, changes: records }));
export const deadLetterMessage = (offset: number, record: DeadLetterRecord) =>
  message(offset, codecs.deadLetter.encode(record));
