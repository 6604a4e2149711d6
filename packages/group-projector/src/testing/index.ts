// Test helpers of the projectors' unit tests (every stream's): record builders and a writer fake.
export { fakeWriter, type RecordedInsert } from './fake-writer.ts';
export { CHANGES, DLQ, group, message, messages, offsets, range } from './records.ts';
