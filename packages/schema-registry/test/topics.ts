import { randomUUID } from 'node:crypto';
import type { ShopfloorTopics } from '@shopfloor/contracts';

/** Topic names under a fresh prefix, so every test has subjects of its own in the shared registry. */
export function freshTopics(): ShopfloorTopics {
  const p = `t${randomUUID().slice(0, 8)}.`;
  return {
    raw: `${p}events.raw`,
    state: `${p}events.state`,
    changes: `${p}events.change-batches`,
    deadLetter: `${p}events.dlq`,
    outcomes: `${p}events.outcomes`,
    invalid: `${p}events.invalid`,
    keys: `${p}shopfloor.keys`,
  };
}

type AvroField = { name: string; type: unknown; default?: unknown };
type AvroRecordSchema = { fields: AvroField[] } & Record<string, unknown>;

/** A copy of a record schema with its fields changed, as an author would edit the .avsc. */
export function editFields(schema: object, edit: (fields: AvroField[]) => AvroField[]): object {
  const copy = structuredClone(schema) as AvroRecordSchema;
  return { ...copy, fields: edit(copy.fields) };
}
