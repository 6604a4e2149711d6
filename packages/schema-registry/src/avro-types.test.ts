// The TypeScript record types (packages/contracts/src/wire.ts) against the checked-in .avsc files:
// the same fields at every level, values the schema accepts, and the same enum symbols.
import {
  type AvroRecordKind,
  DECISION_KINDS,
  loadAvroSchema,
  REJECTION_REASON_CODES,
} from '@shopfloor/contracts';
import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { deadLetterToAvro, outcomeToAvro, V1_REJECTION_REASONS } from './record-mappings.ts';
import { sampleRecords } from './sample-records.ts';

const KINDS: AvroRecordKind[] = ['raw', 'deadLetter', 'state', 'changes', 'outcomes', 'invalid', 'keys'];
const TO_AVRO: Partial<Record<AvroRecordKind, (v: never) => unknown>> = {
  deadLetter: deadLetterToAvro,
  outcomes: outcomeToAvro,
};

/** Field paths of a value as the schema sees them: records by field name, arrays through their items. */
function schemaPaths(type: avro.Type, prefix = ''): string[] {
  if (type instanceof avro.types.RecordType)
    return type.fields.flatMap((f) => [`${prefix}${f.name}`, ...schemaPaths(f.type, `${prefix}${f.name}.`)]);
  if (type instanceof avro.types.ArrayType) return schemaPaths(type.itemsType, `${prefix}[].`);
  if (type instanceof avro.types.UnwrappedUnionType)
    return [...new Set(type.types.flatMap((t) => schemaPaths(t, prefix)))];
  return [];
}

function valuePaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => valuePaths(v, `${prefix}[].`)))];
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...valuePaths(v, `${prefix}${k}.`)]);
}

const enumSymbols = (type: avro.Type, name: string): string[] => {
  const found = new Set<string>();
  const visit = (t: avro.Type) => {
    if (t instanceof avro.types.EnumType && t.name?.endsWith(name)) for (const s of t.symbols) found.add(s);
    if (t instanceof avro.types.RecordType) for (const f of t.fields) visit(f.type);
    if (t instanceof avro.types.ArrayType) visit(t.itemsType);
    if (t instanceof avro.types.UnwrappedUnionType) for (const u of t.types) visit(u);
  };
  visit(type);
  return [...found];
};

describe('TypeScript record types match the checked-in .avsc', () => {
  const samples = sampleRecords();

  test.each(KINDS)('%s: the same fields at every level, and every sample is valid for the schema', (kind) => {
    const type = avro.Type.forSchema(loadAvroSchema(kind) as avro.Schema);
    const toAvro = (TO_AVRO[kind] ?? ((v: unknown) => v)) as (v: unknown) => unknown;
    const covered = new Set<string>();
    for (const record of samples[kind]) {
      const value = toAvro(record);
      const invalid: string[] = [];
      type.isValid(value, { errorHook: (path) => invalid.push(path.join('.')) });
      expect(invalid, `${kind}: fields the schema rejects`).toEqual([]);
      const paths = valuePaths(value);
      for (const p of paths) covered.add(p);
      // Nothing in the TypeScript record that the schema would silently drop.
      expect(paths.filter((p) => !schemaPaths(type).includes(p))).toEqual([]);
    }
    // Nothing in the schema that no TypeScript record carries.
    expect(schemaPaths(type).filter((p) => !covered.has(p))).toEqual([]);
  });

  test('enum symbols are the contracts’ own lists', () => {
    // The v1 enum is frozen; every code, and UNKNOWN (its default), is in RejectionCode.
    const v1 = [...V1_REJECTION_REASONS];
    const codes = [...REJECTION_REASON_CODES, 'UNKNOWN'];
    const deadLetter = avro.Type.forSchema(loadAvroSchema('deadLetter') as avro.Schema);
    expect(enumSymbols(deadLetter, 'RejectionReason')).toEqual(v1);
    expect(enumSymbols(deadLetter, 'RejectionCode')).toEqual(codes);
    const outcomes = avro.Type.forSchema(loadAvroSchema('outcomes') as avro.Schema);
    expect(enumSymbols(outcomes, 'RejectionReason')).toEqual(v1);
    expect(enumSymbols(outcomes, 'RejectionCode')).toEqual(codes);
    expect(enumSymbols(outcomes, 'OutcomeKind')).toEqual([...DECISION_KINDS, 'rejected']);
    const changes = avro.Type.forSchema(loadAvroSchema('changes') as avro.Schema);
    expect(enumSymbols(changes, 'DecisionKind')).toEqual([...DECISION_KINDS]);
  });
});
