/**
 * Payloads of the Kafka topics, as JSON values, one file per record: `wire-raw-event.ts`
 * (events.raw), `wire-dead-letter.ts` (events.dlq), `wire-state.ts` (events.state),
 * `wire-change.ts` (events.change-batches: a ChangeBatchRecord of ChangeRecords), `wire-outcome.ts` (events.outcomes), `wire-invalid.ts`
 * (events.invalid); what they share (version, batch position, decoder) is `wire-common.ts`.
 */

export {
  type ChangeBatchRecord,
  type ChangeRecord,
  type ChangeRow,
  changeBatchRecordSchema,
  changeRecordFor,
  changeRecordSchema,
  changeRowSchema,
  changeRowsFor,
  decodeChangeBatchRecord,
  decodeChangeRecord,
} from './wire-change.ts';
export { type BatchPosition, type DecodeResult, WIRE_VERSION } from './wire-common.ts';
export {
  type DeadLetterRecord,
  deadLetterRecordFor,
  deadLetterRecordSchema,
  decodeDeadLetterRecord,
} from './wire-dead-letter.ts';
export type { InvalidRecord } from './wire-invalid.ts';
export {
  decodeOutcomeRecord,
  type OutcomeDecision,
  type OutcomeRecord,
  outcomeRecordSchema,
} from './wire-outcome.ts';
export {
  decodeRawEventRecord,
  type RawEventRecord,
  rawEventRecordFor,
  rawEventRecordSchema,
  receivedEventOf,
} from './wire-raw-event.ts';
export {
  decodeStateRecord,
  type StateRecord,
  stateRecordFor,
  stateRecordSchema,
  winnerOf,
} from './wire-state.ts';
