// Test helper: one typed record of every topic value, from the contracts' checked-in JSON fixtures
// (decoded by the contracts' own decoders, so they are what the TypeScript types say).
import { readFileSync } from 'node:fs';
import {
  type AvroRecordKind,
  type DecodeResult,
  decodeChangeRecord,
  decodeDeadLetterRecord,
  decodeOutcomeRecord,
  decodeRawEventRecord,
  decodeStateRecord,
  type InvalidRecord,
  type KeyChangeRecord,
} from '@shopfloor/contracts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../contracts/fixtures/${name}`, import.meta.url), 'utf8'));

function ok<T>(r: DecodeResult<T>): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const invalid: InvalidRecord = {
  v: 1,
  topic: 'events.raw',
  partition: 3,
  offset: '12345',
  error: 'value is not valid JSON',
  value: Buffer.from([0xff, 0x00, 0x7b]),
};

const keyCreated: KeyChangeRecord = {
  keyId: '0123456789abcdef',
  change: 'created',
  role: 'machine',
  factories: ['F-1', 'F-2'],
  label: 'vendor A',
  salt: 'a1'.repeat(16),
  hash: 'b2'.repeat(32),
  createdAt: 1_767_225_600_000,
  revokedAt: null,
};
const keyRevoked: KeyChangeRecord = {
  keyId: '0123456789abcdef',
  change: 'revoked',
  role: null,
  factories: null,
  label: null,
  salt: null,
  hash: null,
  createdAt: null,
  revokedAt: 1_767_229_200_000,
};

/** Every sample of each kind (the change batch holds one change per decision). */
export function sampleRecords(): Record<AvroRecordKind, unknown[]> {
  const deadLetter = ok(decodeDeadLetterRecord(fixture('dead-letter-record.v1.json')));
  const exactText = ' {"eventId": "E-2" , "durationMs":1.50}';
  return {
    raw: [ok(decodeRawEventRecord(fixture('raw-event-record.v1.json')))],
    // The exact text of the element, spaces and all, as the gateway will pass it.
    deadLetter: [
      deadLetter,
      { ...deadLetter, payload: JSON.parse(exactText), payloadJson: exactText },
      { ...deadLetter, reason: 'OUT_OF_SCOPE' },
    ],
    state: [ok(decodeStateRecord(fixture('state-record.v1.json')))],
    // A batch of one change per decision, and an empty one.
    changes: [
      {
        v: 1,
        changes: ['accepted', 'updated', 'deduped', 'stale'].map((d) =>
          ok(decodeChangeRecord(fixture(`change-record.${d}.v1.json`))),
        ),
      },
      { v: 1, changes: [] },
    ],
    outcomes: [ok(decodeOutcomeRecord(fixture('outcome-record.v1.json')))],
    invalid: [invalid, { ...invalid, value: null }],
    keys: [keyCreated, { ...keyCreated, factories: null, label: null }, keyRevoked],
  };
}
