import { z } from 'zod';
import { idSchema, MAX_DURATION_MS, UNKNOWN_DEFECT_COUNT } from './event.ts';

/**
 * Payloads of the Kafka topics, as JSON values. Every record carries `v: 1`; a change that old
 * readers cannot read needs a new `v`, and the fixtures in `fixtures/` pin the current one.
 * Decoders take the already-JSON-parsed value, return a result and never throw. Objects are read
 * leniently (unknown fields are dropped) so that adding an optional field is not breaking.
 */
export const WIRE_VERSION = 1;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Where a record sits in the HTTP batch it came from. */
export type BatchPosition = { batchId: string; seq: number; batchSize: number };

/** An intersection flattened into one object type (for readable hovers and exact type tests). */
export type Flat<T> = { [K in keyof T]: T[K] } & {};

export const v1 = z.literal(WIRE_VERSION);
export const batchId = z.string().min(1);
export const seq = z.int().min(0);
export const batchSize = z.int().min(1);
export const epochMs = z.int();
export const durationMs = z.int().min(0).max(MAX_DURATION_MS);
export const defectCount = z.int().min(UNKNOWN_DEFECT_COUNT);
// Typed loosely because the generic shape hides that the parsed record has both (it always does).
const seqInBatch = (r: object) => {
  const { seq, batchSize } = r as { seq: number; batchSize: number };
  return seq < batchSize;
};
const seqMessage = { message: 'seq must be less than batchSize', path: ['seq'] };

/** The fields of a record about one element of an HTTP batch: the version and its batch position. */
export const positionedRecordShape = { v: v1, batchId, seq, batchSize };

/** A positioned record's schema: its seq must fall inside its batch. */
export function positionedRecord<S extends z.ZodRawShape>(shape: S) {
  return z.object({ ...positionedRecordShape, ...shape }).refine(seqInBatch, seqMessage);
}

export function decoder<T>(schema: z.ZodType<T>): (input: unknown) => DecodeResult<T> {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
  };
}

/** The fields of a winner version, as the state record and each projection row carry them. */
export const winnerVersionShape = {
  eventId: idSchema,
  eventTimeMs: epochMs,
  machineId: idSchema,
  lineId: idSchema,
  factoryId: idSchema,
  durationMs,
  defectCount,
  receivedAt: epochMs,
  version: z.int().min(1),
};
