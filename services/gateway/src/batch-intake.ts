import {
  type DeadLetterRecord,
  deadLetterRecordFor,
  jsonArrayElementTexts,
  type RawEventRecord,
  rawEventRecordFor,
  type ValidationResult,
  validateEvent,
} from '@shopfloor/contracts';

export type BatchIntake = {
  batchId: string;
  receivedAt: number;
  raw: RawEventRecord[];
  rejected: DeadLetterRecord[];
};

/**
 * Validates every event of a posted batch and stamps them with one receive time. Pure. With
 * `bodyText`, the request body the events were parsed from, a dead letter keeps its element's exact
 * text (spacing, key order, `1.50`); the body is only scanned when an event is rejected.
 */
export function intakeBatch(
  batchId: string,
  events: readonly unknown[],
  receivedAt: number,
  bodyText?: string,
  /** The factories the posting key may write (a machine key's scope); undefined: every factory. */
  mayWrite?: (factoryId: string) => boolean,
): BatchIntake {
  const raw: RawEventRecord[] = [];
  const rejected: DeadLetterRecord[] = [];
  const batchSize = events.length;
  let texts: (string[] | null) | undefined;
  const elementText = (seq: number): string | undefined => {
    if (bodyText === undefined) return undefined;
    // A BOM is skipped by the JSON parser, not by the scan; a count that differs means "not this body".
    texts ??= jsonArrayElementTexts(bodyText.replace(/^\uFEFF/, ''));
    return texts?.length === batchSize ? texts[seq] : undefined;
  };
  events.forEach((input, seq) => {
    const pos = { batchId, seq, batchSize };
    const result = scoped(validateEvent(input, receivedAt), mayWrite);
    if (result.ok) {
      const { event, eventTimeMs } = result.value;
      raw.push(rawEventRecordFor(pos, { event, eventTimeMs, receivedAt }));
    } else {
      const text = elementText(seq);
      rejected.push(
        text === undefined
          ? deadLetterRecordFor(pos, receivedAt, result, input)
          : deadLetterRecordFor(pos, receivedAt, result, input, text),
      );
    }
  });
  return { batchId, receivedAt, raw, rejected };
}

/** A valid event of a factory outside the key's scope is rejected like any other: OUT_OF_SCOPE. */
function scoped(result: ValidationResult, mayWrite?: (factoryId: string) => boolean): ValidationResult {
  if (!result.ok || !mayWrite || mayWrite(result.value.event.factoryId)) return result;
  const { eventId, factoryId } = result.value.event;
  return {
    ok: false,
    eventId,
    reason: 'OUT_OF_SCOPE',
    message: `factoryId ${JSON.stringify(factoryId)} is outside the factories of this API key`,
  };
}
