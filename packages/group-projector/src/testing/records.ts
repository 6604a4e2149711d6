// Small builders of consumed records and range groups for the unit tests of a projector.
import type { ConsumedMessage } from '@shopfloor/kafka';
import type { GroupRange, RangeGroup } from '../range-group.ts';

export const CHANGES = 'events.changes';
export const DLQ = 'events.dlq';

/** A consumed record at `offset`; its value is `value` as bytes, or a marker string. */
export function message(offset: number, value: Buffer | null = Buffer.from(`r${offset}`)): ConsumedMessage {
  return {
    key: Buffer.from(`k${offset}`),
    value,
    timestamp: String(1_700_000_000_000 + offset),
    attributes: 0,
    offset: String(offset),
    headers: {},
  };
}

export const messages = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

export const offsets = (ms: readonly ConsumedMessage[]) => ms.map((m) => Number(m.offset));

export function range(
  topic: string,
  partition: number,
  min: number,
  max: number,
  ms: ConsumedMessage[] = [],
): GroupRange {
  return { topic, partition, min: BigInt(min), max: BigInt(max), messages: ms };
}

export function group(markerAt: number, ...ranges: GroupRange[]): RangeGroup {
  return { markerAt, ranges: new Map(ranges.map((r) => [`${r.topic}:${r.partition}`, r])) };
}
